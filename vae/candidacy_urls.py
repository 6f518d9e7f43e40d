app_name = "candidacy"
urlpatterns = []
