"""Reads made on every request, compiled to SQL once per process.

Django builds and compiles a queryset anew on every evaluation. For the few tiny reads that
every logged-in page makes (a user's roles, the candidate's candidacies…), that costs about
ten times the query itself: 0.3–0.5 ms against 30 µs on SQLite, measured on the candidate's
dashboard. A prepared query is built once with placeholder arguments and compiled; each call
then sends the same SQL with the real arguments and turns the rows into what the queryset
would have given (model instances with their annotations, or ``values_list`` rows), through
the same database converters.

Arguments are ints or strings (ids, keys), which the ORM passes to the database unchanged;
other values (dates…) are adapted per database, so put them in the query as constants or
compare them in Python.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable

_SENTINEL_BASE = -7_340_000_000_000


class PreparedQuery:
    """``PreparedQuery(lambda user_id: Model.objects.filter(owner_id=user_id))``, then
    ``query(user.pk)`` returns the list the queryset would."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, *args, using: str = "default") -> list:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.build, args, using)
        return compiled.run(connection, args)


def _sentinel(value, position: int):
    """A placeholder of the argument's type that no real query uses."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"PreparedQuery takes ints and strings, not {type(value).__name__}")
    if isinstance(value, int):
        return _SENTINEL_BASE - position
    return f"\x00prepared-{position}\x00"


class _Compiled:
    def __init__(self, build, example_args, using):
        sentinels = [_sentinel(value, n) for n, value in enumerate(example_args)]
        queryset = build(*sentinels).using(using)
        query = queryset.query
        if query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("PreparedQuery reads one table's rows: no select/prefetch_related")
        self.iterable = queryset._iterable_class
        if self.iterable not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise ValueError(f"PreparedQuery does not handle {self.iterable.__name__}")
        self.compiler = query.get_compiler(using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        # Where each argument goes among the parameters (an argument may be used twice).
        self.slots = [
            (index, sentinels.index(param))
            for index, param in enumerate(self.params)
            if any(param == s and type(param) is type(s) for s in sentinels)
        ]
        missing = set(range(len(sentinels))) - {argument for _index, argument in self.slots}
        if missing:
            raise ValueError(f"PreparedQuery: arguments {sorted(missing)} are not parameters")
        select = self.compiler.select
        # Columns past ``col_count`` are there for the database (ordering columns of a
        # DISTINCT query): the rows are cut to the selected ones, as Django's are.
        self.width = self.compiler.col_count if self.compiler.has_extra_select else None
        columns = [column for column, _sql, _alias in select[: self.compiler.col_count]]
        if self.compiler.has_composite_fields(columns):
            raise ValueError("PreparedQuery does not handle composite primary keys")
        self.converters = self.compiler.get_converters(columns)
        if self.iterable is ModelIterable:
            info = self.compiler.klass_info
            fields = info["select_fields"]
            self.model = info["model"]
            self.model_slice = slice(fields[0], fields[-1] + 1)
            self.field_names = [column.target.attname for column, *_ in select[self.model_slice]]
            self.annotations = list(self.compiler.annotation_col_map.items())
        self.db = using

    def run(self, connection, args) -> list:
        params = list(self.params)
        for index, argument in self.slots:
            params[index] = args[argument]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.iterable is ValuesListIterable:
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            obj = self.model.from_db(self.db, self.field_names, row[self.model_slice])
            for attribute, position in self.annotations:
                setattr(obj, attribute, row[position])
            objects.append(obj)
        return objects
