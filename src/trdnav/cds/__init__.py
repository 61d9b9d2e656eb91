"""CDS Hooks 2.0: a ``patient-view`` service that shows the core's conclusions inside an EHR.

Discovery at ``/cds-services``, the service at ``/cds-services/trdnav-patient-view`` and its
feedback endpoint. The calling EHR is authenticated by a signed JWT from a configured issuer;
the FHIR resources it sends (or lets the service read) are mapped back by ``trdnav.interop``
and given to the core. See docs/interop.md, "CDS Hooks".
"""
