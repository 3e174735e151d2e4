"""The server-drawn first paint of a form page (ADR 0009, docs/first-paint.md §2).

A full load of `…/forms/<form>/new`, `…/records/<id>/edit` or `/f/<token>` is answered with
the form already drawn from the build's templates, so a large form is readable and typeable
before the app's JavaScript has run; the app then takes the page over. Small modules, one job each:

- `templates`: the build's template file, read and compiled once per build;
- `locale`: the page's language, as the browser app will pick it;
- `form`: which fields show, with which values and state (the browser's rules);
- `cells`, `computed`, `subform`: one field's template context per type;
- `formats`: numbers and dates written as the browser writes them;
- `names`: member and department names;
- `page`: the page around the fields and its place in `index.html`;
- `service`: one request, through the API's code paths; None when it cannot draw.
- `public`: a public fill link's page (`/f/<token>`), the form as the public API gives it.
"""

from tessera.firstpaint.service import VARY, FirstPaint, form_page

__all__ = ["VARY", "FirstPaint", "form_page"]
