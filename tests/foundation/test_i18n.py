"""The Spanish catalogue covers the base layout, forms, error pages and account pages."""

from babel.messages.pofile import read_po

from tests.conftest import ROOT


def test_login_page_in_spanish(client):
    page = client.get("/auth/login?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    for text in (
        "Iniciar sesión",
        "Saltar al contenido principal",
        "Contraseña",
        "¿Olvidó su contraseña?",
    ):
        assert text in page
    # the choice sticks for the next page
    assert "Restablezca su contraseña" in client.get("/auth/reset").get_data(as_text=True)


def test_errors_and_form_messages_in_spanish(client, factory):
    client.get("/?lang=es")
    assert "Página no encontrada" in client.get("/missing").get_data(as_text=True)
    empty = client.post("/auth/login", data={}).get_data(as_text=True)
    assert "Hay un problema" in empty and "Escriba su dirección de correo electrónico." in empty
    user = factory.user("staff")
    bad = client.post("/auth/login", data={"email": user.email, "password": "wrong-one-here"})
    assert "La dirección de correo o la contraseña no son correctas." in bad.get_data(as_text=True)
    redirect = client.get("/consultations/", follow_redirects=True).get_data(as_text=True)
    assert "Inicie sesión para ver esta página." in redirect


def test_password_rules_in_spanish(client, factory, auth):
    from consult.auth.services import issue_token
    from consult.extensions import db

    user = factory.user("respondent", password=None)
    raw = issue_token(user, "invite", __import__("datetime").timedelta(days=1))
    db.session.commit()
    client.get("/?lang=es")
    page = client.post(f"/auth/invitations/{raw}", data={"password": "short", "confirm": "short"})
    assert "Use al menos 12 caracteres." in page.get_data(as_text=True)


FOUNDATION_SOURCES = [
    "consult/templates/base.html",
    "consult/templates/_macros/forms.html",
    "consult/templates/errors/error.html",
    "consult/templates/main/home.html",
    "consult/templates/auth/login.html",
    "consult/templates/auth/request_reset.html",
    "consult/templates/auth/set_password.html",
    "consult/templates/auth/link_invalid.html",
    "consult/templates/auth/account.html",
    "consult/templates/auth/person.html",
    "consult/errors.py",
    "consult/__init__.py",
    "consult/auth/forms.py",
    "consult/auth/views.py",
    "consult/auth/passwords.py",
    "consult/auth/services.py",
]


def test_catalogue_covers_the_foundation_pages():
    """Every translatable string of the layout, macros, errors and account pages is in Spanish."""
    from babel.messages.extract import extract_from_file

    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None}
    wanted = set()
    for rel in FOUNDATION_SOURCES:
        method = "python" if rel.endswith(".py") else "jinja2"
        for _line, msg, _comments, _ctx in extract_from_file(
            method, str(ROOT / rel), keywords=keywords
        ):
            wanted.add(msg if isinstance(msg, str) else msg[0])
    with (ROOT / "consult/translations/es/LC_MESSAGES/messages.po").open("rb") as fh:
        spanish = {
            (m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(fh) if m.id
        }
    assert len(wanted) > 80
    assert sorted(t for t in wanted if not spanish.get(t)) == []
