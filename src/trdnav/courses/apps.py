from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "trdnav.courses"
    label = "courses"

    def ready(self) -> None:
        # The loop (measure schedules, the history entry of an ended course) listens to the
        # courses' own signals.
        from trdnav.courses.loop.receivers import connect

        connect()
