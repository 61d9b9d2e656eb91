"""Top-level URL map: each feature app owns its own URLs."""

from django.contrib import admin
from django.urls import include, path

from trdnav.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("trdnav.accounts.urls")),
    # WebAuthn (passkeys, security keys) as a second factor: django-otp-webauthn's endpoints.
    path("accounts/mfa/webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("patients/<int:pk>/assessments/", include("trdnav.assessments.urls")),
    path("patients/<int:pk>/clinical/", include("trdnav.clinical.urls")),
    path("patients/<int:pk>/history/", include("trdnav.history.urls")),
    path("patients/", include("trdnav.patients.urls")),
    path("courses/", include("trdnav.courses.urls")),
    path("dashboard/", include("trdnav.dashboard.urls")),
    path("audit/", include("trdnav.audit.urls")),
    path("analytics/", include("trdnav.analytics.urls")),
    path("portal/", include("trdnav.portal.urls")),
    path("safety/", include("trdnav.safety.urls")),
    # The public treatment guide and self-check: no log-in, nothing stored.
    path("guide/", include("trdnav.guide.urls")),
    path("api/v1/", api.urls),
    # CDS Hooks 2.0 (docs/interop.md): EHRs authenticate with a signed JWT, not a session.
    path("", include("trdnav.cds.urls")),
    # FHIR R4 (docs/interop.md): token-authenticated, application/fhir+json; Bulk Data
    # $export first, then the REST resources (read, search, create).
    path("fhir/R4/", include("trdnav.interop.bulk_urls")),
    path("fhir/R4/", include("trdnav.interop.web.urls")),
    path("", include("trdnav.web.urls")),
]
