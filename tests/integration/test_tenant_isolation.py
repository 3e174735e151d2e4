"""Two tenants with identical apps and members: every endpoint called across them sees only
its own tenant — records, apps, members, departments, jobs, audit, history, role members."""

from __future__ import annotations

import httpx
import pytest

from tessera.config import Settings
from tessera.db.engine import create_engine
from tessera.org.tenants import ensure_tenant
from tessera.org.users import create_user

PASSWORD = "tenant-pass-123"
APP = {"format": "tessera.app/1", "key": "crm", "name": {"en": "CRM"}, "forms": [
    {"key": "customer", "name": {"en": "Customer"}, "fields": [
        {"key": "name", "type": "text", "label": {"en": "Name"}, "unique": True}]}],
    "roles": [{"key": "sales", "name": {"en": "Sales"}, "permissions": [
        {"form": "customer", "actions": ["view", "create"], "scope": "all"}]}]}


@pytest.fixture(scope="module")
async def tenants(app, settings: Settings):
    """Tenant `alpha` and `beta`, each with the same admin e-mail and the same app."""
    engine = create_engine(settings, pool_size=2)
    async with engine.begin() as conn:
        for key in ("alpha", "beta"):
            tenant_id = await ensure_tenant(conn, key, key.title())
            await create_user(conn, tenant_id=tenant_id, email="boss@example.com",
                              name=f"Boss {key}", password=PASSWORD, is_admin=True)
    await engine.dispose()
    clients = {}
    for n, key in enumerate(("alpha", "beta")):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(
            app=app, client=(f"10.40.0.{n}", 1)), base_url="http://t")
        r = await client.post("/api/v1/auth/login", json={
            "email": "boss@example.com", "password": PASSWORD, "tenant": key})
        assert r.status_code == 200, r.text
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        assert (await client.post("/api/v1/apps", json=APP)).status_code == 201
        assert (await client.post("/api/v1/departments", json={
            "key": "sales", "name": f"Sales {key}"})).status_code == 201
        clients[key] = client
    yield clients
    for client in clients.values():
        await client.aclose()


async def test_same_app_key_lives_in_separate_schemas(tenants, settings) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    url = "/api/v1/apps/crm/forms/customer/records"
    a = await alpha.post(url, json={"data": {"name": "Same name"}})
    b = await beta.post(url, json={"data": {"name": "Same name"}})  # unique per tenant
    assert a.status_code == b.status_code == 201
    assert [r["name"] for r in (await alpha.get(url)).json()["items"]] == ["Same name"]
    assert len((await beta.get(url)).json()["items"]) == 1
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import libpq_dsn
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url))) as conn:
        schemas = {r[0] for r in conn.execute(
            "select table_schema from information_schema.tables "
            "where table_name = 'crm__customer'")}
    assert {"t_alpha", "t_beta"} <= schemas


async def test_every_endpoint_refuses_the_other_tenants_ids(tenants) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    base = "/api/v1/apps/crm/forms/customer/records"
    record = (await alpha.post(base, json={"data": {"name": "Alpha only"}})).json()
    rid = record["_id"]
    assert (await beta.get(f"{base}/{rid}")).status_code == 404
    assert (await beta.get(f"{base}/{rid}/history")).status_code == 404
    patch = await beta.patch(f"{base}/{rid}", json={"_version": 1, "data": {"name": "x"}})
    assert patch.status_code == 404
    assert (await beta.delete(f"{base}/{rid}")).status_code == 404
    assert (await alpha.get(f"{base}/{rid}")).json()["name"] == "Alpha only"
    count = (await beta.get(f"{base}/count")).json()["count"]
    assert count == 1  # only beta's own record

    alpha_users = {u["name"] for u in (await alpha.get("/api/v1/users")).json()["items"]}
    assert "Boss beta" not in alpha_users and "Boss alpha" in alpha_users
    beta_depts = (await beta.get("/api/v1/departments")).json()["items"]
    assert [d["name"] for d in beta_depts] == ["Sales beta"]
    audit = (await beta.get("/api/v1/audit", params={"limit": 500})).json()["items"]
    assert all("Alpha only" not in str(i["details"]) for i in audit)
    assert not any(i["action"] == "login.succeeded" and i["actor"] is None for i in audit)

    members = await beta.put("/api/v1/apps/crm/roles/sales/members",
                             json={"users": ["nobody-in-beta@example.com"]})
    assert members.status_code == 422
    jobs = await beta.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000")
    assert jobs.status_code == 404


async def test_a_token_is_bound_to_its_tenant(tenants) -> None:
    alpha = tenants["alpha"]
    me = (await alpha.get("/api/v1/me")).json()
    assert me["tenant"]["key"] == "alpha"
    # same e-mail, other tenant's password is checked against the other tenant only
    async with httpx.AsyncClient(transport=alpha._transport, base_url="http://t") as c:
        wrong = await c.post("/api/v1/auth/login", json={
            "email": "boss@example.com", "password": PASSWORD, "tenant": "gamma"})
        assert wrong.status_code == 401

