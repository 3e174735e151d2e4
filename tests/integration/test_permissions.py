"""Permissions enforced in SQL on every record path, checked as a matrix generated from the
definition: each role × each record × each endpoint against a small oracle, plus the side
channels (filter, sort, history, errors, lookups, rollups, the app definition itself)."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.integration.conftest import login

APP = {
    "format": "tessera.app/1",
    "key": "perm",
    "name": {"en": "Permissions"},
    "forms": [
        {"key": "customer", "name": {"en": "Customer"}, "title_field": "name", "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}, "required": True},
            {"key": "level", "type": "select", "label": {"en": "Level"},
             "options": [{"value": "A"}, {"value": "B"}]},
            {"key": "phone", "type": "text", "label": {"en": "Phone"}},
            {"key": "secret", "type": "text", "label": {"en": "Secret"}},
            {"key": "deal_total", "type": "rollup", "label": {"en": "Deals"},
             "via": {"form": "deal", "relation": "customer"}, "field": "amount", "agg": "sum"},
        ]},
        {"key": "deal", "name": {"en": "Deal"}, "fields": [
            {"key": "customer", "type": "relation", "target": "customer",
             "label": {"en": "Customer"}},
            {"key": "amount", "type": "number", "label": {"en": "Amount"}},
            {"key": "customer_phone", "type": "lookup", "relation": "customer",
             "field": "phone", "label": {"en": "Phone"}},
        ]},
    ],
    "roles": [
        {"key": "sales", "name": {"en": "Sales"}, "permissions": [
            {"form": "customer", "actions": ["view", "create", "edit"], "scope": "own",
             "fields": {"hidden": ["secret"], "readonly": ["level"]}},
            {"form": "deal", "actions": ["view", "create"], "scope": "own"}]},
        {"key": "manager", "name": {"en": "Manager"}, "permissions": [
            {"form": "customer", "actions": ["view", "edit", "delete"],
             "scope": "subordinates", "fields": {"hidden": ["secret"]}},
            {"form": "deal", "actions": ["view"], "scope": "subordinates"}]},
        {"key": "east", "name": {"en": "East region"}, "permissions": [
            {"form": "customer", "actions": ["view"], "scope": "department_tree",
             "fields": {"hidden": ["secret", "phone"]}}]},
        {"key": "finance", "name": {"en": "Finance"}, "permissions": [
            {"form": "customer", "actions": ["view"], "scope": "all",
             "fields": {"hidden": ["phone", "secret"]}},
            {"form": "deal", "actions": ["view"], "scope": "all"}]},
        {"key": "vip", "name": {"en": "VIP desk"}, "permissions": [
            {"form": "customer", "actions": ["view"],
             "scope": {"==": [{"var": "level"}, "A"]}, "fields": {"hidden": ["secret"]}}]},
    ],
}
BASE = "/api/v1/apps/perm/forms"
PASSWORD = "member-password-1"
# who: (departments, main department, roles)
MEMBERS = {
    "rep1": (["sh"], "sh", ["sales"]),
    "rep2": (["sh"], "sh", ["sales"]),
    "rep3": (["bj"], "bj", ["sales"]),
    "boss": (["east"], "east", ["manager"]),
    "eastview": (["hq"], "hq", ["east"]),
    "fin": (["fin"], "fin", ["finance"]),
    "vipdesk": (["hq"], "hq", ["vip"]),
    "nobody": (["hq"], "hq", []),
}
DEPARTMENTS = [("hq", None), ("east", "hq"), ("sh", "east"), ("bj", "hq"), ("fin", "hq")]
ROLES = {r["key"]: r for r in APP["roles"]}


def _email(who: str) -> str:
    return f"{who}@perm.example.com"


class World:
    """The org, the clients per member and the records each rep created."""

    clients: dict[str, httpx.AsyncClient]
    customers: dict[str, dict]  # name -> record as the admin sees it
    owners: dict[str, str]  # customer name -> member


@pytest.fixture(scope="module")
async def world(app, admin):
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    for key, parent in DEPARTMENTS:
        r = await admin.post("/api/v1/departments", json={"key": key, "name": key.upper(),
                                                          "parent": parent})
        assert r.status_code == 201, r.text
    for who, (depts, main, _roles) in MEMBERS.items():
        r = await admin.post("/api/v1/users", json={
            "email": _email(who), "name": who, "password": PASSWORD, "departments": depts,
            "main_department": main})
        assert r.status_code == 201, r.text
    # boss manages "east" (and so "sh" below it); there is no endpoint yet to appoint a
    # manager of an existing department
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import libpq_dsn
    with psycopg.connect(libpq_dsn(make_url(app.state.settings.sync_url)),
                         autocommit=True) as conn:
        conn.execute("update memberships set is_manager = true where department_id = "
                     "(select id from departments where key = 'east') and user_id = "
                     "(select id from users where email = %s)", (_email("boss"),))
    for role in ROLES:
        holders = [_email(w) for w, (_, _, roles) in MEMBERS.items() if role in roles]
        r = await admin.put(f"/api/v1/apps/perm/roles/{role}/members", json={"users": holders})
        assert r.status_code == 200, r.text

    w = World()
    w.clients = {}
    for who in MEMBERS:
        transport = httpx.ASGITransport(app=app, client=(f"10.20.0.{len(w.clients) + 1}", 1))
        client = httpx.AsyncClient(transport=transport, base_url="http://t")
        client.headers.update(await login(client, _email(who), PASSWORD))
        w.clients[who] = client
    w.customers, w.owners = {}, {}
    for who, level in [("rep1", "A"), ("rep1", "B"), ("rep2", "A"), ("rep3", "B")]:
        name = f"{who}-{level}"
        r = await w.clients[who].post(f"{BASE}/customer/records", json={"data": {
            "name": name, "phone": "13800000000"}})
        assert r.status_code == 201, r.text
        assert "secret" not in r.json()  # hidden from the creator too
        rid = r.json()["_id"]
        # level is read-only for sales: the admin sets it, and a secret
        v = (await admin.get(f"{BASE}/customer/records/{rid}")).json()["_version"]
        r = await admin.patch(f"{BASE}/customer/records/{rid}", json={
            "_version": v, "data": {"level": level, "secret": f"s-{name}"}})
        assert r.status_code == 200
        w.customers[name] = r.json()
        w.owners[name] = who
        deal = await w.clients[who].post(f"{BASE}/deal/records", json={"data": {
            "customer": rid, "amount": 100}})
        assert deal.status_code == 201, deal.text
    yield w
    for client in w.clients.values():
        await client.aclose()


def _visible(who: str, name: str, owners: dict[str, str], level: str) -> bool:
    """The oracle: may `who` view customer `name`? (OR over the member's roles)."""
    depts, _main, roles = MEMBERS[who]
    owner = owners[name]
    owner_main = MEMBERS[owner][1]
    tree = {"hq": {"hq", "east", "sh", "bj", "fin"}, "east": {"east", "sh"}}
    for role in roles:
        for perm in ROLES[role]["permissions"]:
            if perm["form"] != "customer" or "view" not in perm["actions"]:
                continue
            scope = perm["scope"]
            if scope == "all" or (scope == "own" and owner == who):
                return True
            if scope == "subordinates" and (owner == who or owner_main in {"east", "sh"}):
                return True
            if scope == "department_tree" and any(owner_main in tree.get(d, {d})
                                                  for d in depts):
                return True
            if isinstance(scope, dict) and level == "A":
                return True
    return False


def _hidden(who: str) -> set[str]:
    sets = [set(p.get("fields", {}).get("hidden", [])) for r in MEMBERS[who][2]
            for p in ROLES[r]["permissions"] if p["form"] == "customer"]
    return set.intersection(*sets) if sets else set()


@pytest.mark.parametrize("who", list(MEMBERS))
async def test_matrix_list_get_count_and_fields(world, who: str) -> None:
    client = world.clients[who]
    listed = await client.get(f"{BASE}/customer/records", params={"limit": 100})
    if not MEMBERS[who][2]:
        assert listed.status_code == 403 and listed.json()["code"] == "permission_denied"
        return
    assert listed.status_code == 200, listed.text
    seen = {r["name"] for r in listed.json()["items"]}
    expected = {n for n, c in world.customers.items()
                if _visible(who, n, world.owners, c["level"])}
    assert seen == expected, (who, seen, expected)
    count = (await client.get(f"{BASE}/customer/records/count")).json()
    assert count["count"] == len(expected)
    hidden = _hidden(who)
    for record in listed.json()["items"]:
        assert not hidden & set(record), (who, hidden & set(record))
    for name, record in world.customers.items():
        got = await client.get(f"{BASE}/customer/records/{record['_id']}")
        if name in expected:
            assert got.status_code == 200 and not hidden & set(got.json())
        else:
            assert got.status_code == 404  # indistinguishable from a record that isn't there


@pytest.mark.parametrize("who", ["rep1", "fin", "eastview"])
async def test_hidden_fields_cannot_be_probed(world, who: str) -> None:
    client = world.clients[who]
    for field in _hidden(who):
        probe = json.dumps({"==": [{"var": field}, "s-rep1-A"]})
        r = await client.get(f"{BASE}/customer/records", params={"filter": probe})
        assert r.status_code == 422 and r.json()["code"] == "invalid_filter"
        s = await client.get(f"{BASE}/customer/records", params={"sort": field})
        assert s.status_code == 422 and s.json()["code"] == "invalid_sort"
    some = next(c for n, c in world.customers.items()
                if _visible(who, n, world.owners, c["level"]))
    history = (await client.get(f"{BASE}/customer/records/{some['_id']}/history")).json()
    for entry in history["items"]:
        assert not _hidden(who) & set(entry["changes"])


async def test_writes_respect_actions_scopes_and_read_only_fields(world) -> None:
    rep1, rep2, boss, fin = (world.clients[w] for w in ("rep1", "rep2", "boss", "fin"))
    mine = world.customers["rep1-A"]
    theirs = world.customers["rep2-A"]
    current = (await rep1.get(f"{BASE}/customer/records/{mine['_id']}")).json()
    readonly = await rep1.patch(f"{BASE}/customer/records/{mine['_id']}", json={
        "_version": current["_version"], "data": {"level": "B"}})
    assert readonly.status_code == 422
    assert readonly.json()["errors"][0] == {"path": "data.level", "code": "read_only_field",
                                            "message": "You may not change this field."}
    hidden = await rep1.patch(f"{BASE}/customer/records/{mine['_id']}", json={
        "_version": current["_version"], "data": {"secret": "x"}})
    assert hidden.status_code == 422 and hidden.json()["errors"][0]["code"] == "unknown_field"
    other = await rep1.patch(f"{BASE}/customer/records/{theirs['_id']}", json={
        "_version": 2, "data": {"phone": "1"}})
    assert other.status_code == 404
    no_delete = await rep1.delete(f"{BASE}/customer/records/{mine['_id']}")
    assert no_delete.status_code == 403 and no_delete.json()["code"] == "permission_denied"
    no_create = await fin.post(f"{BASE}/customer/records", json={"data": {"name": "x"}})
    assert no_create.status_code == 403
    # the manager may edit and delete subordinates' records
    edited = await boss.patch(f"{BASE}/customer/records/{theirs['_id']}", json={
        "_version": 2, "data": {"phone": "021-1"}})
    assert edited.status_code == 200, edited.text
    bj = world.customers["rep3-B"]
    outside = await boss.delete(f"{BASE}/customer/records/{bj['_id']}")
    assert outside.status_code == 404  # not a subordinate's: not even visible
    assert (await rep2.get(f"{BASE}/customer/records/{theirs['_id']}")).json()["phone"] == \
        "021-1"


async def test_lookups_and_rollups_only_show_what_the_caller_may_read(world, admin) -> None:
    fin = world.clients["fin"]
    deals = (await fin.get(f"{BASE}/deal/records", params={"limit": 100})).json()["items"]
    assert len(deals) == 4
    assert all(d["customer_phone"] is None for d in deals)  # phone is hidden from finance
    admin_deals = (await admin.get(f"{BASE}/deal/records")).json()["items"]
    assert all(d["customer_phone"] for d in admin_deals)
    rep1 = world.clients["rep1"]
    mine = (await rep1.get(f"{BASE}/customer/records/{world.customers['rep1-A']['_id']}"))
    assert mine.json()["deal_total"] == 100
    boss = world.clients["boss"]
    # a deal the manager cannot see does not count in the rollups the manager sees
    bj_rep_deal = next(d for d in admin_deals if d["customer"] ==
                       world.customers["rep3-B"]["_id"])
    assert bj_rep_deal
    sh = (await boss.get(f"{BASE}/customer/records/{world.customers['rep2-A']['_id']}"))
    assert sh.json()["deal_total"] == 100


async def test_the_definition_shows_only_what_the_caller_may_use(world) -> None:
    fin = (await world.clients["fin"].get("/api/v1/apps/perm")).json()
    customer = next(f for f in fin["definition"]["forms"] if f["key"] == "customer")
    keys = {f["key"] for f in customer["fields"]}
    assert "phone" not in keys and "secret" not in keys and "name" in keys
    assert "roles" not in fin["definition"]
    assert (await world.clients["nobody"].get("/api/v1/apps/perm")).status_code == 404
    listed = (await world.clients["nobody"].get("/api/v1/apps")).json()["items"]
    assert "perm" not in [a["key"] for a in listed]


async def test_invalid_roles_are_rejected_with_paths(admin) -> None:
    bad = json.loads(json.dumps(APP))
    bad["key"] = f"perm_{uuid.uuid4().hex[:6]}"
    bad["roles"][0]["permissions"][0]["actions"].append("fly")
    bad["roles"][0]["permissions"][0]["fields"]["hidden"].append("nope")
    bad["roles"][1]["permissions"][0]["scope"] = "galaxy"
    r = await admin.post("/api/v1/apps", json=bad)
    assert r.status_code == 422
    paths = {e["path"] for e in r.json()["errors"]}
    assert {"roles[0].permissions[0].actions[3]", "roles[0].permissions[0].fields.hidden[1]",
            "roles[1].permissions[0].scope"} <= paths


async def test_quick_search_never_looks_into_hidden_fields(world, admin) -> None:
    rep1 = world.clients["rep1"]
    by_secret = (await rep1.get(f"{BASE}/customer/records", params={"q": "s-rep1-A"})).json()
    assert by_secret["items"] == []
    assert (await admin.get(f"{BASE}/customer/records",
                            params={"q": "s-rep1-a"})).json()["items"][0]["name"] == "rep1-A"
    by_name = (await rep1.get(f"{BASE}/customer/records", params={"q": "REP1-"})).json()
    assert sorted(r["name"] for r in by_name["items"]) == ["rep1-A", "rep1-B"]
    pct = (await admin.get(f"{BASE}/customer/records", params={"q": "%"})).json()
    assert pct["items"] == []  # LIKE wildcards are literal


async def test_scope_expressions_can_name_the_caller(app, admin, world) -> None:
    """"Records whose 负责人 (a member field) is me": the caller as `$user` in a scope."""
    definition = {
        "format": "tessera.app/1", "key": "mine", "name": {"en": "Mine"},
        "forms": [{"key": "account", "name": {"en": "Account"}, "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}},
            {"key": "manager", "type": "member", "label": {"en": "Account manager"}}]}],
        "roles": [{"key": "am", "name": {"en": "AM"}, "permissions": [
            {"form": "account", "actions": ["view"],
             "scope": {"or": [{"==": [{"var": "manager"}, {"var": "$user"}]},
                              {"==": [{"var": "_department"}, {"var": "$department"}]}]}}]}]}
    assert (await admin.post("/api/v1/apps", json=definition)).status_code == 201
    users = {u["email"]: u["id"] for u in (await admin.get("/api/v1/users")).json()["items"]}
    rep1, rep3 = users[_email("rep1")], users[_email("rep3")]
    for name, manager in [("for rep1", rep1), ("for rep3", rep3), ("nobody's", None)]:
        r = await admin.post("/api/v1/apps/mine/forms/account/records",
                             json={"data": {"name": name, "manager": manager}})
        assert r.status_code == 201, r.text
    r = await admin.put("/api/v1/apps/mine/roles/am/members",
                        json={"users": [_email("rep1"), _email("rep3")]})
    assert r.status_code == 200
    for who, expected in [("rep1", ["for rep1"]), ("rep3", ["for rep3"])]:
        transport = httpx.ASGITransport(app=app, client=("10.21.0.1", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            headers = await login(client, _email(who), PASSWORD)
            rows = (await client.get("/api/v1/apps/mine/forms/account/records",
                                     headers=headers)).json()["items"]
            assert [r["name"] for r in rows] == expected


async def test_related_titles_only_from_records_the_caller_may_see(world) -> None:
    rep1 = world.clients["rep1"]
    deals = (await rep1.get(f"{BASE}/deal/records")).json()["items"]
    assert deals and all(d["_titles"]["customer"].startswith("rep1-") for d in deals)


async def test_scoped_pages_merge_index_branches_without_gaps_or_repeats(app, admin,
                                                                         world) -> None:
    """A department-tree member's list reads one index range per department and per owner and
    merges them; records matching two branches (their own, in their department) appear once,
    and the cursor walks every record in order."""
    definition = {"format": "tessera.app/1", "key": "pages", "name": {"en": "Pages"},
                  "forms": [{"key": "note", "name": {"en": "Note"}, "fields": [
                      {"key": "n", "type": "number", "label": {"en": "N"}}]}],
                  "roles": [{"key": "region", "name": {"en": "Region"}, "permissions": [
                      {"form": "note", "actions": ["view", "create"],
                       "scope": "department_tree"}]}]}
    assert (await admin.post("/api/v1/apps", json=definition)).status_code == 201
    r = await admin.put("/api/v1/apps/pages/roles/region/members",
                        json={"users": [_email("rep1"), _email("rep3"), _email("eastview")]})
    assert r.status_code == 200
    url = "/api/v1/apps/pages/forms/note/records"
    for n, who in enumerate(("rep1", "rep3", "rep1", "rep1", "rep3", "rep1", "rep1")):
        created = await world.clients[who].post(url, json={"data": {"n": n}})
        assert created.status_code == 201, created.text
    expected = {"rep1": [6, 5, 3, 2, 0], "eastview": [6, 5, 4, 3, 2, 1, 0]}
    for who, numbers in expected.items():
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await world.clients[who].get(url, params=params)).json()
            seen += [row["n"] for row in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == numbers, (who, seen)
        ascending = (await world.clients[who].get(url, params={"sort": "_id"})).json()
        assert [row["n"] for row in ascending["items"]] == sorted(numbers)


async def test_the_app_says_what_the_caller_may_do_per_form(world, admin) -> None:
    fin = (await world.clients["fin"].get("/api/v1/apps/perm")).json()["access"]
    assert fin == {"customer": {"actions": ["view"], "readonly": []},
                   "deal": {"actions": ["view"], "readonly": []}}
    rep = (await world.clients["rep1"].get("/api/v1/apps/perm")).json()["access"]
    assert rep["customer"] == {"actions": ["create", "edit", "view"],
                               "readonly": ["level", "secret"]}
    full = (await admin.get("/api/v1/apps/perm")).json()["access"]["customer"]["actions"]
    assert "manage" in full and "delete" in full
