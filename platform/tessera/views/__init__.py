"""Views of a form: the definition's views (app.json `views`) and the saved views members keep
for themselves or share with everyone (docs/api.md "Views")."""
