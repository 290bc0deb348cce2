"""Fixed word lists and the organisation chart of the fictional demo city (Thành phố Hồng Lam)."""

from __future__ import annotations

from app.units.models import UnitKind

SEED = 20260203  # the Party's founding day; any fixed number keeps the demo reproducible
ISSUER = "Thành ủy Hồng Lam"
CITY = ("HL", "Thành ủy thành phố Hồng Lam", UnitKind.city_committee)
# (code, name, kind, cells as (code, name)); the three grassroots committees of the demo.
WARDS: list[tuple[str, str, UnitKind, list[tuple[str, str]]]] = [
    (
        "HL-BD",
        "Đảng ủy phường Bến Đò",
        UnitKind.ward_committee,
        [
            ("HL-BD-KP1", "Chi bộ Khu phố 1"),
            ("HL-BD-KP2", "Chi bộ Khu phố 2"),
            ("HL-BD-KP3", "Chi bộ Khu phố 3"),
            ("HL-BD-THCS", "Chi bộ Trường THCS Bến Đò"),
        ],
    ),
    (
        "HL-HB",
        "Đảng ủy phường Hòa Bình",
        UnitKind.ward_committee,
        [
            ("HL-HB-KP4", "Chi bộ Khu phố 4"),
            ("HL-HB-KP5", "Chi bộ Khu phố 5"),
            ("HL-HB-KP6", "Chi bộ Khu phố 6"),
            ("HL-HB-YT", "Chi bộ Trạm Y tế phường Hòa Bình"),
        ],
    ),
    (
        "HL-TL",
        "Đảng ủy xã Tân Lập",
        UnitKind.commune_committee,
        [
            ("HL-TL-AD", "Chi bộ Ấp Đông"),
            ("HL-TL-AT", "Chi bộ Ấp Tây"),
            ("HL-TL-AB", "Chi bộ Ấp Bắc"),
            ("HL-TL-QS", "Chi bộ Quân sự xã Tân Lập"),
        ],
    ),
]
WARD_PLACES = {"HL-BD": "phường Bến Đò", "HL-HB": "phường Hòa Bình", "HL-TL": "xã Tân Lập"}

# Surnames with rough national frequencies (per cent).
SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 3),
    ("Phan", 4.5),
    ("Vũ", 2.5),
    ("Võ", 2.5),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Trương", 0.8),
    ("Lương", 0.4),
    ("Mai", 0.3),
]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Đình"]
MIDDLE_MALE += ["Xuân", "Ngọc", "Quang", "Trọng", "Thành", "Tiến", "Mạnh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng"]
MIDDLE_FEMALE += ["Phương", "Mai", "Diệu", "Bích", "Thùy"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Hưng", "Khánh", "Long", "Minh"]
GIVEN_MALE += ["Nam", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Toàn", "Trung", "Tuấn", "Việt"]
GIVEN_MALE += ["Vinh", "Đạt", "Hiếu", "Lâm", "Phúc", "Tài", "Thịnh", "Tùng", "Kiên", "Lộc"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên"]
GIVEN_FEMALE += ["Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phượng", "Quyên"]
GIVEN_FEMALE += ["Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Xuân", "Huyền", "Giang"]

PROVINCES = ["Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Nam Định", "Thái Bình", "Quảng Nam"]
PROVINCES += ["Quảng Ngãi", "Bình Định", "Hải Dương", "Hưng Yên", "Bắc Ninh", "Long An"]
PROVINCES += ["Tiền Giang", "Bến Tre", "Cần Thơ", "Huế", "Đà Nẵng", "Hà Nội", "Phú Thọ"]
COMMUNE_NAMES = ["Xuân Lâm", "Thanh Hà", "Yên Hòa", "Tân Phong", "Phú Lộc", "Hòa Mỹ"]
COMMUNE_NAMES += ["Đông Sơn", "An Bình", "Quảng Thành", "Nghĩa Hưng", "Vĩnh Phúc", "Cát Tiên"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt"]
STREETS += ["Quang Trung", "Phan Bội Châu", "Nguyễn Du", "Bạch Đằng", "Hùng Vương"]
ETHNICITIES: list[tuple[str, float]] = [
    ("Kinh", 88),
    ("Tày", 2),
    ("Mường", 2),
    ("Thái", 2),
    ("Hoa", 2),
    ("Khmer", 2),
    ("Nùng", 2),
]
RELIGIONS: list[tuple[str, float]] = [
    ("Không", 85),
    ("Phật giáo", 9),
    ("Công giáo", 5),
    ("Cao Đài", 1),
]
EDUCATION_OLD = ["7/10", "10/10", "9/10", "10/10"]  # the 10-year school system before 1981
EDUCATION_NEW = ["12/12", "12/12", "12/12", "9/12"]
THEORY: list[tuple[str | None, float]] = [
    ("Sơ cấp", 45),
    ("Trung cấp", 30),
    ("Cao cấp", 7),
    ("Cử nhân", 3),
    (None, 15),
]
QUALIFICATIONS: list[tuple[str | None, float]] = [
    ("Cử nhân Kinh tế", 10),
    ("Cử nhân Luật", 6),
    ("Kỹ sư Xây dựng", 6),
    ("Kỹ sư Công nghệ thông tin", 5),
    ("Bác sĩ đa khoa", 3),
    ("Cử nhân Sư phạm", 8),
    ("Trung cấp Kế toán", 8),
    ("Cao đẳng Điều dưỡng", 3),
    ("Cử nhân Quản lý nhà nước", 6),
    ("Công nhân kỹ thuật", 8),
    (None, 37),
]
WORKPLACES = [
    ("Ủy ban nhân dân {place}", ["Chuyên viên", "Công chức văn phòng", "Phó Chủ tịch"]),
    ("Trường THCS {place}", ["Giáo viên", "Tổ trưởng chuyên môn", "Hiệu phó"]),
    ("Trạm Y tế {place}", ["Y sĩ", "Điều dưỡng", "Trạm trưởng"]),
    ("Công ty TNHH Thương mại Hồng Lam", ["Nhân viên", "Kế toán", "Trưởng phòng"]),
    ("Hợp tác xã Nông nghiệp Tân Lập", ["Xã viên", "Kế toán", "Chủ nhiệm"]),
    ("Công an {place}", ["Cán bộ", "Phó Trưởng Công an"]),
    ("Ban Chỉ huy Quân sự {place}", ["Chiến sĩ", "Chính trị viên"]),
    ("Nhà máy Cơ khí Hồng Lam", ["Công nhân", "Tổ trưởng", "Quản đốc"]),
    ("Mặt trận Tổ quốc {place}", ["Cán bộ", "Phó Chủ tịch"]),
]
TRAININGS = [
    ("Bồi dưỡng lý luận chính trị dành cho đảng viên mới", "Trung tâm Chính trị thành phố"),
    ("Trung cấp lý luận chính trị - hành chính", "Trường Chính trị tỉnh"),
    ("Bồi dưỡng nghiệp vụ công tác đảng cho cấp ủy viên", "Ban Tổ chức Thành ủy"),
    ("Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4", "Ban Chỉ huy Quân sự thành phố"),
]
# Grade and its share among rated members; HTXSNV stays a small share, as the rules cap it.
RATING_SHARES: list[tuple[str, float]] = [
    ("HTXSNV", 14),
    ("HTTNV", 62),
    ("HTNV", 21),
    ("KHTNV", 3),
]
BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75)
DISCIPLINES = [
    ("khien_trach", "Vắng sinh hoạt chi bộ 3 kỳ liên tiếp không có lý do chính đáng"),
    ("canh_cao", "Vi phạm quy định về những điều đảng viên không được làm (đất đai)"),
]
OUTSIDE_ORGS = [
    "Đảng bộ phường Trường Thi, tỉnh Nghệ An",
    "Đảng bộ xã Hòa Tiến, thành phố Đà Nẵng",
]

# The printed demo logins: (printed role, username, password, what the account is).
# `who` is "unit:<role>:<code>" (staff-only) or "member:<role>:<cell code>" (linked to the
# first active full member of that cell who has no account yet).
ACCOUNTS = [
    ("city_admin", "admin", "demo-admin-2026", "unit:city_admin:HL"),
    ("ward_staff", "canbo.bendo", "demo-canbo-2026", "unit:committee_staff:HL-BD"),
    ("cell_secretary", "bithu.kp1", "demo-bithu-kp1-2026", "member:cell_secretary:HL-BD-KP1"),
    ("cell_secretary", "bithu.apdong", "demo-bithu-ad-2026", "member:cell_secretary:HL-TL-AD"),
    ("member", "dangvien.kp1", "demo-dangvien-kp1-2026", "member:member:HL-BD-KP1"),
    ("member", "dangvien.kp4", "demo-dangvien-kp4-2026", "member:member:HL-HB-KP4"),
    ("auditor", "kiemtra", "demo-kiemtra-2026", "unit:auditor:HL"),
]
