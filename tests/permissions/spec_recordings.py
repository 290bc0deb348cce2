"""Matrix entries for meeting recordings (issue 13): upload, listen, read and correct the
transcript, the unit's listening policy. Officers who run the cell's meetings (and the meeting's
own secretary and chair, tested in tests/recordings) manage; ordinary members of the cell only
listen, and only where the unit allows it; the auditor and other cells get nothing."""

from __future__ import annotations

from typing import Any

from app.recordings.models import RecordingPolicy
from tests.factories.meetings import make_meeting
from tests.factories.recordings import make_recording, speech_wav
from tests.permissions.matrix import Case, OracleSpec, RouteSpec, meeting_in, merge, roles_on

# meeting_manage on the meeting's unit: cell officers and committee staff of their subtree.
MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
# With listening allowed, members of the meeting's own cell too (not of a group below it).
LISTENERS = merge(MANAGERS, roles_on({"own"}, "member"))
AUDIO = speech_wav("vi_nghi_quyet.wav")


def _meeting(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    return {"meeting_id": make_meeting(c.session, c.unit).id}


def _recording(c: Case, *, listen: bool = False) -> dict[str, Any]:
    assert c.unit is not None
    meeting = make_meeting(c.session, c.unit)
    if listen:
        c.session.add(RecordingPolicy(unit_id=c.unit.id, members_may_listen=True))
    rec = make_recording(c.session, c.settings, meeting)
    return {"recording_id": rec.id, "meeting_id": meeting.id, "index": 0}


def recording(c: Case) -> dict[str, Any]:
    return _recording(c)


def listenable(c: Case) -> dict[str, Any]:
    return _recording(c, listen=True)


def upload(c: Case) -> dict[str, Any]:
    return {"file": ("hop.wav", AUDIO, "audio/wav")}


def recording_in(code: str) -> Any:
    """A recording of a meeting of unit `code`, for the oracles."""

    def build(c: Case) -> int:
        meeting = make_meeting(c.session, c.org.units[code])
        return make_recording(c.session, c.settings, meeting).id

    return build


API = "/api/v1/recordings/{recording_id}"
WEB = "/recordings/{recording_id}"
EDIT = {"text": "Đã sửa lời.", "speaker_name": "Đồng chí Bí thư"}

SPECS = [
    RouteSpec(
        "POST", "/api/v1/meetings/{meeting_id}/recordings", MANAGERS, setup=_meeting, files=upload
    ),
    RouteSpec("GET", "/api/v1/meetings/{meeting_id}/recordings", MANAGERS, setup=recording),
    RouteSpec("GET", "/api/v1/meetings/{meeting_id}/recordings", LISTENERS, setup=listenable),
    RouteSpec("GET", API, MANAGERS, setup=recording),
    RouteSpec("GET", API, LISTENERS, setup=listenable),
    RouteSpec("GET", f"{API}/audio", MANAGERS, setup=recording),
    RouteSpec("GET", f"{API}/audio", LISTENERS, setup=listenable),
    RouteSpec("GET", f"{API}/transcript", MANAGERS, setup=recording),
    RouteSpec("GET", f"{API}/transcript", MANAGERS, setup=listenable),
    RouteSpec("PATCH", f"{API}/segments/{{index}}", MANAGERS, setup=recording, body=lambda c: EDIT),
    RouteSpec("GET", f"{API}/segments/{{index}}/versions", MANAGERS, setup=recording),
    RouteSpec(
        "PUT",
        "/api/v1/units/{unit_id}/recording-policy",
        MANAGERS,
        path_params=lambda c: {"unit_id": c.unit.id if c.unit else 0},
        body=lambda c: {"members_may_listen": True},
    ),
    # Web pages.
    RouteSpec("GET", "/meetings/{meeting_id}/recordings", MANAGERS, setup=recording, web=True),
    RouteSpec("GET", "/meetings/{meeting_id}/recordings", LISTENERS, setup=listenable, web=True),
    RouteSpec(
        "POST",
        "/meetings/{meeting_id}/recordings",
        MANAGERS,
        setup=_meeting,
        files=upload,
        form=lambda c: {},
        web=True,
    ),
    RouteSpec(
        "POST",
        "/meetings/{meeting_id}/recording-policy",
        MANAGERS,
        setup=_meeting,
        form=lambda c: {"members_may_listen": "on"},
        web=True,
    ),
    RouteSpec("GET", WEB, MANAGERS, setup=recording, web=True),
    RouteSpec("GET", WEB, LISTENERS, setup=listenable, web=True),
    RouteSpec("GET", f"{WEB}/progress", MANAGERS, setup=recording, web=True),
    RouteSpec(
        "POST",
        f"{WEB}/segments/{{index}}",
        MANAGERS,
        setup=recording,
        form=lambda c: EDIT,
        web=True,
    ),
]

# A member of cell A names a recording of cell D (not visible), one of its own cell while the
# cell does not allow listening, and a meeting of cell D: each answers like a missing id.
ORACLES = [
    *[
        OracleSpec(
            f"recording{path} of {where}",
            "GET",
            f"{API}{path}",
            "member",
            hidden=recording_in(code),
            path_params=lambda c, i: {"recording_id": i},
        )
        for path in ("", "/audio", "/transcript", "/segments/0/versions")
        for code, where in (("D", "another cell"), ("A", "the own cell, listening off"))
    ],
    OracleSpec(
        "correcting a segment of another cell's recording",
        "PATCH",
        f"{API}/segments/0",
        "secretary",
        hidden=recording_in("D"),
        path_params=lambda c, i: {"recording_id": i},
        body=lambda c, i: EDIT,
    ),
    OracleSpec(
        "listening policy of another ward's cell",
        "PUT",
        "/api/v1/units/{unit_id}/recording-policy",
        "secretary",
        hidden=lambda c: c.org.units["D"].id,
        path_params=lambda c, i: {"unit_id": i},
        body=lambda c, i: {"members_may_listen": True},
    ),
    OracleSpec(
        "recordings of another cell's meeting",
        "GET",
        "/api/v1/meetings/{meeting_id}/recordings",
        "secretary",
        hidden=meeting_in("D"),
        path_params=lambda c, i: {"meeting_id": i},
    ),
]
