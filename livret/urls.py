app_name = "livret"
urlpatterns = []
