"""JSON API of the open data: the versions and their manifests."""

from __future__ import annotations

from flask import jsonify

from registry.api import api_blueprint
from registry.opendata import dictionary, service

bp = api_blueprint("opendata_api")


@bp.get("/open-data")
def list_versions():
    return jsonify({"versions": [service.manifest_of(r) for r in service.list_releases()]})


@bp.get("/open-data/dictionary")
def data_dictionary():
    return jsonify(dictionary.as_dict())
