"""EXPLAIN (ANALYZE, BUFFERS) of the statements the API really sends.

The statements come from the query-budget phase (captured at page_size=100 with the SQL
as psycopg2 sent it); the one explained per endpoint is the page query: the statement
with ORDER BY and LIMIT that reads the endpoint's main table.
"""

import re

from django.db import connection

from bench.queries import Budget

EXPLAINED = (
    "feed (typical)",
    "feed (heavy)",
    "posts ?search=",
    "posts ?search= (rare)",
    "users ?search=",
    "users ?search= (rare)",
    "posts ?hashtag=",
    "hashtags/{name}/posts",
    "posts/{id}/comments",
)


def page_query(sql: list[str]) -> str | None:
    candidates = [q for q in sql if re.search(r"\bLIMIT\b", q) and "ORDER BY" in q]
    return max(candidates, key=len) if candidates else None


def explain(budgets: list[Budget], page_size: int = 20) -> dict[str, tuple[str, str]]:
    """{endpoint: (statement, plan)} for the endpoints worth showing, at the default page."""
    plans = {}
    by_name = {b.name: b for b in budgets}
    for name in EXPLAINED:
        budget = by_name.get(name)
        if not budget:
            continue
        sql = page_query(budget.sql_100)
        if not sql:
            continue
        # The load asks for the default page size; explain that page, not the 100-row one.
        sql = re.sub(r"LIMIT 101\b", f"LIMIT {page_size + 1}", sql)
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cur.fetchall())
        plans[name] = (sql, plan)
    return plans


def index_names(plan: str) -> list[str]:
    return sorted(
        set(
            re.findall(
                r"(?:Index|Bitmap Index) (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)", plan
            )
        )
    )
