"""The interop package's contact with the stored records: reading a clinic's records as FHIR
resources (``reading``), storing what a FHIR client sends through the apps' own services
(``writing``) and importing a Bundle (``importing``). The mapping modules one level up stay
pure; these modules read and write the database."""
