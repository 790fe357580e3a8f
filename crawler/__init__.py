"""An archive of the annual reports Chinese governments publish on their 政务公开 pages."""
import os

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/gov-report-archive/gov-report-archive"
CONTACT_ENV = "ARCHIVE_CONTACT"   # who runs this crawler: an e-mail address or a web page (ASCII)


def user_agent(contact: str | None = None) -> str:
    """The User-Agent every request carries: ASCII, naming the crawler, its project page and
    whom a site's webmaster can write to — ARCHIVE_CONTACT from the environment (set it where
    the cron job runs), else the project page. A non-ASCII contact is refused (ValueError):
    HTTP header values are bytes, and a mangled address is no contact."""
    contact = (os.environ.get(CONTACT_ENV, "") if contact is None else contact).strip()
    if contact and not contact.isascii():
        raise ValueError(f"{CONTACT_ENV}={contact!r}: the contact must be ASCII (an e-mail address or a URL)")
    if any(c in contact for c in "\r\n()"):
        raise ValueError(f"{CONTACT_ENV}={contact!r}: no line breaks or parentheses in the contact")
    who = f"; contact {contact}" if contact else ""
    return f"gov-report-archive/{__version__} (+{PROJECT_URL}{who})"
