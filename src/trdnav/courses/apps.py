from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "trdnav.courses"
    label = "courses"
