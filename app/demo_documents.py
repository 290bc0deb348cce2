"""Published documents of the demo city, so that the reading list, read receipts and Hỏi đáp
have something to show: a city regulation in Chương/Điều/Khoản form for everyone, and one
document each for a ward and a commune. Publishing queues their index jobs, which the worker
of `sotay serve` runs."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.permissions import load_actor
from app.documents import service
from app.documents.models import Document, DocumentKind
from app.documents.schemas import AudienceIn, DocumentMeta
from app.documents.service_storage import Staged, get_storage
from app.units.models import Unit

REGULATION = """Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi áp dụng
Quy định này áp dụng cho các chi bộ trực thuộc Đảng bộ thành phố Hồng Lam.
Điều 2. Sinh hoạt chi bộ định kỳ
1. Chi bộ sinh hoạt thường kỳ mỗi tháng một lần, vào ngày mùng 5 hằng tháng.
2. Nội dung sinh hoạt gồm thông tin thời sự, đánh giá việc thực hiện nghị quyết tháng trước và đề ra nhiệm vụ tháng sau.
3. Chi bộ sinh hoạt chuyên đề ít nhất mỗi quý một lần.
Chương II. ĐẢNG VIÊN
Điều 3. Miễn công tác và sinh hoạt đảng
1. Đảng viên tuổi cao, sức khỏe yếu, tự nguyện làm đơn thì được chi bộ xem xét cho miễn công tác và sinh hoạt đảng.
2. Đảng viên được miễn sinh hoạt vẫn được dự sinh hoạt chi bộ khi có điều kiện và vẫn đóng đảng phí theo quy định.
Điều 4. Đảng phí
Đảng viên đóng đảng phí hằng tháng cho chi bộ; chi bộ nộp đảng phí lên cấp trên trước ngày 10 của tháng kế tiếp.
"""
WARD_PLAN = """Điều 1. Mục đích
Tổng hợp kết quả thực hiện nhiệm vụ chính trị quý IV năm 2026 của các chi bộ.
Điều 2. Thời hạn
1. Các chi bộ gửi báo cáo quý IV về Văn phòng Đảng ủy phường trước ngày 15 tháng 12 năm 2026.
2. Báo cáo gửi bằng văn bản và qua Sổ Tay.
"""
COMMUNE_NOTICE = """Chi bộ Ấp Đông và Chi bộ Ấp Tây sinh hoạt tháng 12 vào tối thứ Sáu, ngày 4 tháng 12 năm 2026, tại nhà văn hóa ấp.
Đảng viên vắng mặt phải báo cáo với bí thư chi bộ trước buổi sinh hoạt.
"""
# (issuing unit, audience unit, kind, number, title, file name, text, issued on)
DOCUMENTS = [
    ("HL", "HL", "quy_dinh", "12-QĐ/TU", "Quy định về sinh hoạt chi bộ và đảng viên",
     "quy-dinh-sinh-hoat.txt", REGULATION, date(2026, 3, 16)),
    ("HL-BD", "HL-BD", "ke_hoach", "08-KH/ĐU", "Kế hoạch báo cáo kết quả quý IV năm 2026",
     "ke-hoach-bao-cao-quy-iv.txt", WARD_PLAN, date(2026, 11, 20)),
    ("HL-TL", "HL-TL", "thong_bao", "15-TB/ĐU", "Thông báo lịch sinh hoạt chi bộ tháng 12",
     "thong-bao-sinh-hoat.txt", COMMUNE_NOTICE, date(2026, 11, 25)),
]  # fmt: skip


def add_documents(session: Session, settings: Settings, admin_username: str) -> int:
    """Create and publish the demo documents not yet there; returns how many were added."""
    admin = session.scalar(select(Account).where(func.lower(Account.username) == admin_username))
    actor = load_actor(session, admin.id) if admin is not None else None
    if admin is None or actor is None:
        return 0
    ctx = AuditContext(actor_account_id=admin.id, ip="cli")
    storage = get_storage(settings)
    added = 0
    for issuer, audience, kind, number, title, filename, text, issued in DOCUMENTS:
        unit = session.scalar(select(Unit).where(Unit.code == issuer))
        target = session.scalar(select(Unit).where(Unit.code == audience))
        if unit is None or target is None:
            continue
        if session.scalar(select(Document.id).where(Document.number == number)) is not None:
            continue
        data = text.encode()
        digest = hashlib.sha256(data).hexdigest()
        path = storage.stage_dir() / f"demo-{digest[:16]}"
        path.write_bytes(data)
        staged = Staged(path=path, sha256=digest, size=len(data))
        try:
            meta = DocumentMeta(
                unit_id=unit.id,
                kind=DocumentKind(kind),
                title=title,
                number=number,
                issued_on=issued,
                effective_on=issued,
            )
            doc = service.create_document(
                session,
                ctx,
                actor=actor,
                storage=storage,
                limits=settings.documents,
                meta=meta,
                staged=staged,
                filename=filename,
            )
        finally:
            staged.discard()
        service.set_audience(
            session,
            ctx,
            actor=actor,
            document_id=doc.id,
            entries=[AudienceIn(unit_id=target.id, include_subtree=True)],
        )
        service.publish_document(session, ctx, actor=actor, document_id=doc.id)
        added += 1
    return added
