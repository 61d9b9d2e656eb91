from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "trdnav.history"
    label = "history"

    def ready(self) -> None:
        # A history changed through the clinical profile is snapshotted like any other change.
        from trdnav.clinical.signals import history_changed
        from trdnav.history.snapshots import on_history_changed

        history_changed.connect(on_history_changed, dispatch_uid="history-snapshot")
