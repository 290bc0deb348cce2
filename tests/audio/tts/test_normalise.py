"""Normalisation for listening: a table of written forms and what a listener must hear, plus
the table file, NFC and bad input. General cases, not one text's."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from audio.tts import BadText, EmptyText, TtsConfig, prepare
from audio.tts.normalise import check_text, load_table, normalise, normalise_line

CASES = [
    ("Chỉ thị 50-CT/TW", "Chỉ thị số năm mươi của Trung ương"),
    ("Chỉ thị số 50-CT/TW", "Chỉ thị số năm mươi của Trung ương"),
    ("Nghị quyết 21-NQ/TW", "Nghị quyết số hai mươi mốt của Trung ương"),
    (
        "Thực hiện Nghị quyết số 21-NQ/TW của Hội nghị Trung ương.",
        "Thực hiện Nghị quyết số hai mươi mốt Trung ương của Hội nghị Trung ương.",
    ),
    ("Theo 12-HD/BTGTW", "Theo hướng dẫn số mười hai của Ban Tuyên giáo Trung ương"),
    ("Quy định 29-QĐ/TW", "Quy định số hai mươi chín của Trung ương"),
    ("Kết luận 01-KL/TW", "Kết luận số một của Trung ương"),
    ("Thông báo 15-TB/ĐU", "Thông báo số mười lăm của Đảng ủy"),
    ("Kế hoạch 05-KH/ĐU", "Kế hoạch số năm của Đảng ủy"),
    ("Báo cáo số 07-BC/CB", "Báo cáo số bảy của Chi bộ"),
    ("Công văn 120-CV/TU", "Công văn số một trăm hai mươi của Tỉnh ủy"),
    ("Quyết định số 123/QĐ-UBND", "Quyết định số một trăm hai mươi ba của Ủy ban nhân dân"),
    ("Quyết định 45/QĐ-TTg", "Quyết định số bốn mươi lăm của Thủ tướng Chính phủ"),
    (
        "Nghị định 45/2024/NĐ-CP",
        "Nghị định số bốn mươi lăm năm hai nghìn không trăm hai mươi bốn của Chính phủ",
    ),
    (
        "Thông tư 01/2025/TT-BNV",
        "Thông tư số một năm hai nghìn không trăm hai mươi lăm của Bộ Nội vụ",
    ),
    ("Chỉ thị 15/CT-TTg", "Chỉ thị số mười lăm của Thủ tướng Chính phủ"),
    (
        "Kế hoạch 88/KH-UBND ngày 2/3/2025",
        "Kế hoạch số tám mươi tám của Ủy ban nhân dân ngày hai tháng ba năm hai nghìn không trăm hai mươi lăm",
    ),
    ("Các NQ/TW của Đảng.", "Các nghị quyết Trung ương của Đảng."),
    ("Văn bản QĐ-TW", "Văn bản quyết định của Trung ương"),
    ("Theo HD/BTGTW", "Theo hướng dẫn của Ban Tuyên giáo Trung ương"),
    ("Căn cứ QĐ số 5", "Căn cứ quyết định số năm"),
    ("HD thực hiện", "hướng dẫn thực hiện"),
    ("Văn bản 12-XYZ/ABC", "Văn bản X Y Z số mười hai của A B C"),
    ("UBND phường", "Ủy ban nhân dân phường"),
    ("HĐND phường", "Hội đồng nhân dân phường"),
    ("MTTQ Việt Nam", "Mặt trận Tổ quốc Việt Nam"),
    ("Ủy ban MTTQ phường", "Ủy ban Mặt trận Tổ quốc phường"),
    ("BCH Đảng bộ", "Ban Chấp hành Đảng bộ"),
    ("BTV Đảng ủy", "Ban Thường vụ Đảng ủy"),
    ("ĐVĐT", "đơn vị đào tạo"),
    ("ĐCSVN", "Đảng Cộng sản Việt Nam"),
    ("Đoàn TNCS Hồ Chí Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("HCCB phường", "Hội Cựu chiến binh phường"),
    ("Hội CCB", "Hội cựu chiến binh"),
    ("TP.HCM", "Thành phố Hồ Chí Minh"),
    ("TP Hà Nội", "thành phố Hà Nội"),
    ("KT-XH", "kinh tế, xã hội"),
    ("QP-AN", "quốc phòng, an ninh"),
    ("BHYT", "bảo hiểm y tế"),
    ("BHXH", "bảo hiểm xã hội"),
    ("CCCD", "căn cước công dân"),
    ("SĐT của chi bộ", "số điện thoại của chi bộ"),
    ("PGS. TS Nguyễn Văn A", "phó giáo sư tiến sĩ Nguyễn Văn A"),
    ("TS Lê Thị B", "tiến sĩ Lê Thị B"),
    ("Ban CHQS", "Ban C H Q S"),
    ("Ngày 15/10/2025", "Ngày mười lăm tháng mười năm hai nghìn không trăm hai mươi lăm"),
    ("ngày 3/2/1930", "ngày ba tháng hai năm một nghìn chín trăm ba mươi"),
    ("ngày 5-12-2025", "ngày năm tháng mười hai năm hai nghìn không trăm hai mươi lăm"),
    ("Hạn nộp 20/12", "Hạn nộp ngày hai mươi tháng mười hai"),
    ("tháng 12/2025", "tháng mười hai năm hai nghìn không trăm hai mươi lăm"),
    ("từ 15-20/12", "từ mười lăm đến hai mươi tháng mười hai"),
    ("năm 2025", "năm hai nghìn không trăm hai mươi lăm"),
    ("2024-2025", "hai nghìn không trăm hai mươi bốn đến hai nghìn không trăm hai mươi lăm"),
    ("quý IV", "quý bốn"),
    ("Quý IV/2025", "Quý bốn năm hai nghìn không trăm hai mươi lăm"),
    ("quý I năm 2026", "quý một năm hai nghìn không trăm hai mươi sáu"),
    ("Đại hội XIV", "Đại hội mười bốn"),
    ("Đại hội lần thứ XIII", "Đại hội lần thứ mười ba"),
    ("khóa XV", "khóa mười lăm"),
    ("Chương II", "Chương hai"),
    ("lúc 7h30", "lúc bảy giờ ba mươi"),
    ("lúc 14h00", "lúc mười bốn giờ"),
    ("lúc 19h", "lúc mười chín giờ"),
    ("14 giờ 30 phút", "mười bốn giờ ba mươi phút"),
    ("12:30", "mười hai giờ ba mươi"),
    ("Thứ 2 tuần sau", "Thứ hai tuần sau"),
    ("3,5%", "ba phẩy năm phần trăm"),
    ("98,5% đảng viên", "chín mươi tám phẩy năm phần trăm đảng viên"),
    ("100%", "một trăm phần trăm"),
    ("12.5%", "mười hai phẩy năm phần trăm"),
    ("1.234.567 đồng", "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"),
    ("500.000đ", "năm trăm nghìn đồng"),
    ("50.000 đồng", "năm mươi nghìn đồng"),
    ("2 triệu đồng", "hai triệu đồng"),
    ("10 tỷ đồng", "mười tỷ đồng"),
    ("20 USD", "hai mươi đô la Mỹ"),
    ("15.000 VNĐ", "mười lăm nghìn đồng"),
    ("0,5 lít", "không phẩy năm lít"),
    ("120 đảng viên", "một trăm hai mươi đảng viên"),
    ("1.000 người", "một nghìn người"),
    ("40-50 người", "bốn mươi đến năm mươi người"),
    ("tổ 12, khu phố 3", "tổ mười hai, khu phố ba"),
    ("Điều 12, khoản 3", "Điều mười hai, khoản ba"),
    ("Mục 2.3 của hướng dẫn", "Mục hai chấm ba của hướng dẫn"),
    ("điểm 1.2.3", "điểm một chấm hai chấm ba"),
    ("Diện tích 25 m2", "Diện tích hai mươi lăm mét vuông"),
    ("25m²", "hai mươi lăm mét vuông"),
    ("3 ha", "ba héc ta"),
    ("100 km", "một trăm ki lô mét"),
    ("5 kg", "năm ký lô gam"),
    ("30°C", "ba mươi độ C"),
    ("2 km2", "hai ki lô mét vuông"),
    ("-5 độ", "âm năm độ"),
    (
        "Xem https://huongan.gov.vn/tin-tuc",
        "Xem huongan chấm gov chấm vê en gạch chéo tin gạch ngang tuc",
    ),
    ("www.dangcongsan.vn", "vê kép vê kép vê kép chấm dangcongsan chấm vê en"),
    ("dangcongsan.vn/thoi-su", "dangcongsan chấm vê en gạch chéo thoi gạch ngang su"),
    ("Gửi về bantin@huongan.gov.vn.", "Gửi về bantin a còng huongan chấm gov chấm vê en."),
    ("Email: chibo.khupho3@gmail.com", "Email: chibo chấm khupho ba a còng gmail chấm com"),
    ("SĐT 0912 345 678", "số điện thoại không chín một hai, ba bốn năm, sáu bảy tám"),
    ("098.765.4321", "không chín tám, bảy sáu năm, bốn ba hai một"),
    ("I. TÌNH HÌNH CHUNG", "Phần một. tình hình chung"),
    ("II. Nhiệm vụ tháng 1", "Phần hai. Nhiệm vụ tháng một"),
    ("1. Công tác xây dựng Đảng", "một. Công tác xây dựng Đảng"),
    ("1.2. Kết quả", "một chấm hai. Kết quả"),
    ("- Nộp đảng phí đúng hạn.", "Nộp đảng phí đúng hạn."),
    ("• Họp chi bộ định kỳ.", "Họp chi bộ định kỳ."),
    ("(MTTQ) phối hợp", "Mặt trận Tổ quốc, phối hợp"),
    ("kinh tế - xã hội", "kinh tế, xã hội"),
    ("“Tin tức” tháng này", "Tin tức tháng này"),
    ("v.v.", "vân vân"),
    ("Q.1", "quận một"),
    ("Tp. Hồ Chí Minh", "thành phố Hồ Chí Minh"),
    ("Covid và COVID-19", "Covid và Cô vít mười chín"),
    ("Hội & đoàn thể", "Hội và đoàn thể"),
    ("Bản tin… hết.", "Bản tin. hết."),
    ("Ủy ban nhân dân phường Hương An.", "Ủy ban nhân dân phường Hương An."),
    ("Đảng viên 50 năm tuổi Đảng", "Đảng viên năm mươi năm tuổi Đảng"),
    ("Huy hiệu 30 năm tuổi Đảng", "Huy hiệu ba mươi năm tuổi Đảng"),
    ("ĐẠI HỘI ĐẢNG BỘ PHƯỜNG", "Đại hội đảng bộ phường"),
    ("Chi bộ KP 3", "Chi bộ khu phố ba"),
    ("TDP số 5", "tổ dân phố số năm"),
    ("PCCC mùa khô", "phòng cháy chữa cháy mùa khô"),
    ("ANTT trên địa bàn", "an ninh trật tự trên địa bàn"),
    ("CNXH", "chủ nghĩa xã hội"),
    ("Phó Bí thư ĐU", "Phó Bí thư Đảng ủy"),
    (
        "Trích 01/2025/NQ-HĐND",
        "Trích nghị quyết số một năm hai nghìn không trăm hai mươi lăm của Hội đồng nhân dân",
    ),
    ("UBND PHƯỜNG HƯƠNG AN", "Ủy ban nhân dân phường hương an"),
    ("Nhận 2,5 kg gạo", "Nhận hai phẩy năm ký lô gam gạo"),
    ("Giảm 0,75%", "Giảm không phẩy bảy năm phần trăm"),
    ("Tăng 1,2 lần", "Tăng một phẩy hai lần"),
    (
        "Kế hoạch năm 2026 – 2030",
        "Kế hoạch năm hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi",
    ),
    (
        "Liên hệ đồng chí Bí thư, SĐT 0987654321.",
        "Liên hệ đồng chí Bí thư, số điện thoại không chín tám bảy sáu năm bốn ba hai một.",
    ),
    ("Ngày 30/4 và 1/5", "Ngày ba mươi tháng tư và ngày một tháng năm"),
    ("Từ ngày 1/1/2026", "Từ ngày một tháng một năm hai nghìn không trăm hai mươi sáu"),
]


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 100
    assert len({written for written, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("written", "spoken"), CASES, ids=[c[0][:40] for c in CASES])
def test_reads_for_listening(written: str, spoken: str) -> None:
    assert normalise_line(written) == spoken


def test_no_digit_or_document_symbol_is_left() -> None:
    for written, _ in CASES:
        said = normalise_line(written)
        assert not any(ch.isdigit() for ch in said), (written, said)
        assert "/" not in said and "@" not in said and "%" not in said, (written, said)


def test_nfc_in_and_out() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị quyết 21-NQ/TW của Đảng ủy phường")
    said = normalise_line(decomposed)
    assert said == unicodedata.normalize("NFC", said)
    assert said == "Nghị quyết số hai mươi mốt Trung ương của Đảng ủy phường"


def test_lines_are_kept() -> None:
    assert normalise("UBND\n\nHĐND") == "Ủy ban nhân dân\n\nHội đồng nhân dân"


def test_an_operators_table_is_read_over_the_packaged_one(tmp_path: Path) -> None:
    extra = tmp_path / "more.tsv"
    extra.write_text(
        "# local words\nword\tHTX\thợp tác xã\nword\tĐVĐT\tđảng viên điện tử\n"
        "issuer\tĐUK\tĐảng ủy khối\n",
        encoding="utf-8",
    )
    table = load_table(str(extra))
    assert normalise_line("HTX Hương An", table) == "hợp tác xã Hương An"
    assert normalise_line("ĐVĐT", table) == "đảng viên điện tử"
    assert normalise_line("Kế hoạch 7-KH/ĐUK", table) == "Kế hoạch số bảy của Đảng ủy khối"
    assert load_table().digest != table.digest


def test_a_malformed_table_row_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("word\tHTX\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        load_table(str(bad))


def test_binary_text_is_refused() -> None:
    with pytest.raises(BadText):
        check_text("ID3\x00\x01\x02\x03\x04\x05\x06" * 10, max_chars=1000)
    with pytest.raises(BadText):
        check_text("a" * 11, max_chars=10)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "... --- !!!", "\n#\n"])
def test_nothing_to_read_is_empty_text(text: str) -> None:
    with pytest.raises(EmptyText):
        prepare(text, TtsConfig())


def test_sections_paragraphs_and_short_sentences() -> None:
    text = (
        "BẢN TIN THÁNG 12\n\n"
        "I. TÌNH HÌNH CHUNG\n"
        "Trong tháng 11/2025, Đảng bộ phường đã tổ chức quán triệt Chỉ thị 50-CT/TW của Ban "
        "Bí thư, với 98,5% đảng viên tham dự, và UBND phường phối hợp với MTTQ và các đoàn "
        "thể triển khai kế hoạch quý IV.\n\n"
        "## Nhiệm vụ\n- Nộp báo cáo trước 20/12.\n- Thu đảng phí."
    )
    script = prepare(text, TtsConfig(max_sentence_words=22))
    assert [s.title for s in script.sections] == [
        "BẢN TIN THÁNG 12",
        "I. TÌNH HÌNH CHUNG",
        "Nhiệm vụ",
    ]
    assert script.sections[2].paragraphs == [
        ["Nhiệm vụ."],
        ["Nộp báo cáo trước ngày hai mươi tháng mười hai."],
        ["Thu đảng phí."],
    ]
    for sentence in script.sentences():
        assert len(sentence.split()) <= 22 or "," not in sentence
        assert sentence[-1] in ".!?"


def test_cache_key_follows_text_voice_and_settings() -> None:
    config = TtsConfig()
    key = prepare("Họp chi bộ ngày 5/12.", config).cache_key
    assert prepare("Họp chi bộ  ngày 5/12.", config).cache_key == key  # same words read
    assert prepare("Họp chi bộ ngày 6/12.", config).cache_key != key
    assert prepare("Họp chi bộ ngày 5/12.", TtsConfig(espeak_voice="vi")).cache_key != key
    assert prepare("Họp chi bộ ngày 5/12.", TtsConfig(espeak_speed=170)).cache_key != key
    assert prepare("Họp chi bộ ngày 5/12.", TtsConfig(workers=1)).cache_key == key
