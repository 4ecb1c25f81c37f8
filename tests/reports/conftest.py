from tests.case_fixtures import private_media, world  # noqa: F401  (fixtures)
