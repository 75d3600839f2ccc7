"""Request plumbing shared by our services: model-driven responses, validation, serializers, routes, paging, timestamps."""
