from django.conf import settings


def clinic(request):
    """The clinic's name and phone, for every page (the patient's diary pages too)."""
    return {"clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE}
