from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "kium.boards"
    label = "boards"
