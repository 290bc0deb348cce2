"""Real-world layouts of party and state documents: the units found and the content kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.chunking import chunk_text
from pipelines.ingest import ingest_file

# (name, document, chunks as (heading path joined by " › ", citation label, text)).
# fmt: off
LAYOUTS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("hd-muc-inline-content",
     "Mục 1. Đối tượng và mức đóng: đảng viên hưởng lương đóng 1% tiền lương hằng tháng.\nMục 2. "
     "Thời hạn: chi bộ nộp đảng phí lên cấp trên trước ngày 10 tháng sau.\n",
     [
         ("Mục 1. Đối tượng và mức đóng", "Mục 1",
          "đảng viên hưởng lương đóng 1% tiền lương hằng tháng."),
         ("Mục 2. Thời hạn", "Mục 2",
          "chi bộ nộp đảng phí lên cấp trên trước ngày 10 tháng sau."),
     ]),
    ("hd-muc-label-alone-title-next",
     "Mục 1\nĐối tượng và mức đóng\nĐảng viên hưởng lương đóng 1% tiền lương.\nMục 2\nThời hạn "
     "nộp\nChậm nhất ngày 10 tháng sau.\n",
     [
         ("Mục 1 Đối tượng và mức đóng", "Mục 1",
          "Đảng viên hưởng lương đóng 1% tiền lương."),
         ("Mục 2 Thời hạn nộp", "Mục 2",
          "Chậm nhất ngày 10 tháng sau."),
     ]),
    ("hd-muc-label-alone-sentence-next",
     "Mục 3\nĐảng viên miễn sinh hoạt vẫn đóng đảng phí.\n",
     [
         ("Mục 3", "Mục 3",
          "Đảng viên miễn sinh hoạt vẫn đóng đảng phí."),
     ]),
    ("hd-muc-title-colon-next-line",
     "Mục 1\nĐối tượng: đảng viên đang sinh hoạt tại chi bộ.\n",
     [
         ("Mục 1 Đối tượng", "Mục 1",
          "đảng viên đang sinh hoạt tại chi bộ."),
     ]),
    ("hd-phan-roman-inline-content",
     "Phần I. Đối tượng: đảng viên hưởng lương.\nPhần II. Thời hạn: trước ngày 10.\n",
     [
         ("Phần I. Đối tượng", "Phần I",
          "đảng viên hưởng lương."),
         ("Phần II. Thời hạn", "Phần II",
          "trước ngày 10."),
     ]),
    ("bc-phan-thu-nhat-caps-title-next",
     "PHẦN THỨ NHẤT\nKẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025\nChi bộ kết nạp 3 đảng viên mới.\nPHẦN "
     "THỨ HAI\nPHƯƠNG HƯỚNG NĂM 2026\nPhấn đấu kết nạp 4 đảng viên.\n",
     [
         ("PHẦN THỨ NHẤT KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025", "Phần thứ nhất",
          "Chi bộ kết nạp 3 đảng viên mới."),
         ("PHẦN THỨ HAI PHƯƠNG HƯỚNG NĂM 2026", "Phần thứ hai",
          "Phấn đấu kết nạp 4 đảng viên."),
     ]),
    ("bc-phan-thu-inline-title",
     "Phần thứ nhất: Tình hình chung\nĐảng bộ có 12 chi bộ trực thuộc.\n",
     [
         ("Phần thứ nhất: Tình hình chung", "Phần thứ nhất",
          "Đảng bộ có 12 chi bộ trực thuộc."),
     ]),
    ("bc-phan-sentence-content",
     "Phần I. Năm 2025, chi bộ hoàn thành tốt nhiệm vụ được giao.\n",
     [
         ("Phần I", "Phần I",
          "Năm 2025, chi bộ hoàn thành tốt nhiệm vụ được giao."),
     ]),
    ("kh-roman-caps-arabic-bullets",
     "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao chất lượng sinh hoạt chi bộ.\n- Phát huy vai "
     "trò của đảng viên.\n2. Yêu cầu\nSinh hoạt đúng định kỳ.\nII. NỘI DUNG\nChi bộ tập trung vào "
     "ba nội dung.\n",
     [
         ("I. MỤC ĐÍCH, YÊU CẦU › 1. Mục đích", "",
          "- Nâng cao chất lượng sinh hoạt chi bộ.\n- Phát huy vai trò của đảng viên."),
         ("I. MỤC ĐÍCH, YÊU CẦU › 2. Yêu cầu", "",
          "Sinh hoạt đúng định kỳ."),
         ("II. NỘI DUNG", "",
          "Chi bộ tập trung vào ba nội dung."),
     ]),
    ("kh-arabic-items-with-colon-are-content",
     "II. THỜI GIAN, ĐỊA ĐIỂM\n1. Thời gian: 19 giờ ngày 5 hằng tháng.\n2. Địa điểm: nhà văn hóa "
     "khu phố.\n3. Thành phần: toàn thể đảng viên.\n",
     [
         ("II. THỜI GIAN, ĐỊA ĐIỂM", "",
          "1. Thời gian: 19 giờ ngày 5 hằng tháng.\n2. Địa điểm: nhà văn hóa khu phố.\n3. Thành "
          "phần: toàn thể đảng viên."),
     ]),
    ("kh-short-numbered-list-is-content",
     "Thành phần mời dự:\n1. Đồng chí Bí thư Đảng ủy\n2. Đồng chí Chủ tịch phường\n3. Bí thư các "
     "chi bộ\n",
     [
         ("", "",
          "Thành phần mời dự:\n1. Đồng chí Bí thư Đảng ủy\n2. Đồng chí Chủ tịch phường\n3. Bí thư "
          "các chi bộ"),
     ]),
    ("kh-numbered-sentences-are-content",
     "Kế hoạch\n1. Họp chi bộ.\n2. Báo cáo quý.\n",
     [
         ("", "",
          "Kế hoạch\n1. Họp chi bộ.\n2. Báo cáo quý."),
     ]),
    ("kh-sub-numbering",
     "1. Công tác tư tưởng\n1.1. Học tập nghị quyết\nTổ chức học tập trong quý I.\n1.2. Nắm tình "
     "hình\nChi ủy nắm tư tưởng đảng viên hằng tháng.\n",
     [
         ("1. Công tác tư tưởng › 1.1. Học tập nghị quyết", "",
          "Tổ chức học tập trong quý I."),
         ("1. Công tác tư tưởng › 1.2. Nắm tình hình", "",
          "Chi ủy nắm tư tưởng đảng viên hằng tháng."),
     ]),
    ("kh-sub-numbering-without-final-dot",
     "2.1 Kiểm tra\nKiểm tra 2 chi bộ trong năm.\n",
     [
         ("2.1 Kiểm tra", "",
          "Kiểm tra 2 chi bộ trong năm."),
     ]),
    ("kh-letter-headings-with-bullets",
     "3. Nhiệm vụ cụ thể\na) Đối với chi ủy\n- Xây dựng chương trình công tác;\nb) Đối với đảng "
     "viên\n+ Gương mẫu chấp hành;\n+ Đóng đảng phí đầy đủ.\n",
     [
         ("3. Nhiệm vụ cụ thể › a) Đối với chi ủy", "",
          "- Xây dựng chương trình công tác;"),
         ("3. Nhiệm vụ cụ thể › b) Đối với đảng viên", "",
          "+ Gương mẫu chấp hành;\n+ Đóng đảng phí đầy đủ."),
     ]),
    ("kh-letter-items-are-content",
     "Hồ sơ gồm:\na) Đơn xin chuyển sinh hoạt;\nb) Phiếu đảng viên;\nc) Giấy giới thiệu.\n",
     [
         ("", "",
          "Hồ sơ gồm:\na) Đơn xin chuyển sinh hoạt;\nb) Phiếu đảng viên;\nc) Giấy giới thiệu."),
     ]),
    ("kh-bullets-under-caps-roman",
     "III. TỔ CHỨC THỰC HIỆN\n- Chi ủy phân công đảng viên phụ trách.\n+ Đồng chí Bí thư chỉ đạo "
     "chung.\n+ Đồng chí Phó Bí thư theo dõi.\n",
     [
         ("III. TỔ CHỨC THỰC HIỆN", "",
          "- Chi ủy phân công đảng viên phụ trách.\n+ Đồng chí Bí thư chỉ đạo chung.\n+ Đồng chí "
          "Phó Bí thư theo dõi."),
     ]),
    ("kh-roman-with-trailing-colon-title",
     "IV. Tiến độ:\nHoàn thành trước ngày 30 tháng 6.\n",
     [
         ("IV. Tiến độ", "",
          "Hoàn thành trước ngày 30 tháng 6."),
     ]),
    ("kh-roman-sentence-is-content",
     "I. Chi bộ đã hoàn thành kế hoạch quý I.\nII. Chi bộ tiếp tục thực hiện trong quý II.\n",
     [
         ("", "",
          "I. Chi bộ đã hoàn thành kế hoạch quý I.\nII. Chi bộ tiếp tục thực hiện trong quý II."),
     ]),
    ("kh-title-with-nothing-under-keeps-its-words",
     "I. MỤC ĐÍCH\nII. YÊU CẦU\nThực hiện nghiêm túc.\n",
     [
         ("", "",
          "I. MỤC ĐÍCH"),
         ("II. YÊU CẦU", "",
          "Thực hiện nghiêm túc."),
     ]),
    ("tb-header-block-is-body",
     "ĐẢNG ỦY PHƯỜNG HÒA BÌNH\nSố 18-TB/ĐU\nTHÔNG BÁO\nLịch sinh hoạt chi bộ quý II\n1. Sinh hoạt "
     "thường kỳ\nVào tối mùng 3 hằng tháng.\n",
     [
         ("", "",
          "ĐẢNG ỦY PHƯỜNG HÒA BÌNH\nSố 18-TB/ĐU\nTHÔNG BÁO\nLịch sinh hoạt chi bộ quý II"),
         ("1. Sinh hoạt thường kỳ", "",
          "Vào tối mùng 3 hằng tháng."),
     ]),
    ("tb-intro-colon-is-content",
     "1. Các chi bộ thực hiện như sau:\n- Nộp báo cáo trước ngày 5.\n",
     [
         ("", "",
          "1. Các chi bộ thực hiện như sau:\n- Nộp báo cáo trước ngày 5."),
     ]),
    ("tb-numbered-title-then-bullets",
     "2. Một số lưu ý\n- Đảng viên vắng phải báo cáo bí thư.\n- Mang theo sổ tay đảng viên.\n",
     [
         ("2. Một số lưu ý", "",
          "- Đảng viên vắng phải báo cáo bí thư.\n- Mang theo sổ tay đảng viên."),
     ]),
    ("tb-plain-notice",
     "Chi bộ Ấp Đông sinh hoạt vào tối thứ Sáu, ngày 4 tháng 12.\nĐảng viên vắng mặt phải báo "
     "cáo.\n",
     [
         ("", "",
          "Chi bộ Ấp Đông sinh hoạt vào tối thứ Sáu, ngày 4 tháng 12.\nĐảng viên vắng mặt phải "
          "báo cáo."),
     ]),
    ("qd-chuong-title-next-dieu-khoan-diem",
     "Chương I\nNHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nQuy định này hướng dẫn việc "
     "miễn sinh hoạt đảng.\nĐiều 2. Đối tượng\n1. Đảng viên tuổi cao được miễn sinh hoạt.\n2. "
     "Đảng viên được miễn trong các trường hợp:\na) Ốm đau dài ngày;\nb) Đi công tác xa.\n",
     [
         ("Chương I NHỮNG QUY ĐỊNH CHUNG › Điều 1. Phạm vi điều chỉnh", "Điều 1",
          "Quy định này hướng dẫn việc miễn sinh hoạt đảng."),
         ("Chương I NHỮNG QUY ĐỊNH CHUNG › Điều 2. Đối tượng", "Điều 2, khoản 1",
          "1. Đảng viên tuổi cao được miễn sinh hoạt."),
         ("Chương I NHỮNG QUY ĐỊNH CHUNG › Điều 2. Đối tượng", "Điều 2, khoản 2",
          "2. Đảng viên được miễn trong các trường hợp:\na) Ốm đau dài ngày;\nb) Đi công tác xa."),
     ]),
    ("qd-chuong-inline-caps-title",
     "Chương II. ĐẢNG VIÊN\nĐiều 3. Đảng phí\nĐảng viên đóng đảng phí hằng tháng.\n",
     [
         ("Chương II. ĐẢNG VIÊN › Điều 3. Đảng phí", "Điều 3",
          "Đảng viên đóng đảng phí hằng tháng."),
     ]),
    ("qd-upper-case-labels",
     "CHƯƠNG III\nTHỦ TỤC\nMỤC 1. HỒ SƠ\nĐIỀU 4. Thành phần hồ sơ\nHồ sơ gồm đơn và lý lịch.\n",
     [
         ("CHƯƠNG III THỦ TỤC › MỤC 1. HỒ SƠ › ĐIỀU 4. Thành phần hồ sơ", "Điều 4",
          "Hồ sơ gồm đơn và lý lịch."),
     ]),
    ("qd-chuong-muc-dieu-path",
     "Chương II\nTHỦ TỤC\nMục 1. Hồ sơ\nĐiều 3. Hồ sơ đề nghị\nHồ sơ gồm đơn của đảng viên.\nMục "
     "2. Thời hạn\nĐiều 4. Thời hạn xét\nChi bộ xét trong 15 ngày.\n",
     [
         ("Chương II THỦ TỤC › Mục 1. Hồ sơ › Điều 3. Hồ sơ đề nghị", "Điều 3",
          "Hồ sơ gồm đơn của đảng viên."),
         ("Chương II THỦ TỤC › Mục 2. Thời hạn › Điều 4. Thời hạn xét", "Điều 4",
          "Chi bộ xét trong 15 ngày."),
     ]),
    ("qd-one-line-article",
     "Điều 5. Quy định này có hiệu lực kể từ ngày ký.\n",
     [
         ("Điều 5", "Điều 5",
          "Quy định này có hiệu lực kể từ ngày ký."),
     ]),
    ("qd-article-title-only-keeps-its-title",
     "Điều 1. Phạm vi điều chỉnh\nĐiều 2. Hiệu lực\nQuy định có hiệu lực từ ngày ký.\n",
     [
         ("Điều 1. Phạm vi điều chỉnh", "Điều 1",
          "Phạm vi điều chỉnh"),
         ("Điều 2. Hiệu lực", "Điều 2",
          "Quy định có hiệu lực từ ngày ký."),
     ]),
    ("qd-article-colon-separator",
     "Điều 6: Khen thưởng\nĐảng viên hoàn thành xuất sắc nhiệm vụ được khen thưởng.\n",
     [
         ("Điều 6: Khen thưởng", "Điều 6",
          "Đảng viên hoàn thành xuất sắc nhiệm vụ được khen thưởng."),
     ]),
    ("qd-article-label-alone-title-next",
     "Điều 7\nKỷ luật\nĐảng viên vi phạm bị xử lý theo quy định.\n",
     [
         ("Điều 7 Kỷ luật", "Điều 7",
          "Đảng viên vi phạm bị xử lý theo quy định."),
     ]),
    ("qd-article-title-inline-content",
     "Điều 8. Thời hạn: chi bộ xét trong 30 ngày làm việc.\n",
     [
         ("Điều 8. Thời hạn", "Điều 8",
          "chi bộ xét trong 30 ngày làm việc."),
     ]),
    ("qd-numbered-inside-article-are-clauses",
     "Điều 9. Nhiệm vụ\n1. Mục đích\n2. Yêu cầu\n",
     [
         ("Điều 9. Nhiệm vụ", "Điều 9, khoản 1",
          "1. Mục đích"),
         ("Điều 9. Nhiệm vụ", "Điều 9, khoản 2",
          "2. Yêu cầu"),
     ]),
    ("qd-article-numbers-with-letters",
     "Điều 10a. Sửa đổi\nBổ sung khoản 3.\n",
     [
         ("Điều 10a. Sửa đổi", "Điều 10a",
          "Bổ sung khoản 3."),
     ]),
    ("qd-long-article-title-is-content",
     "Điều 11. Trách nhiệm của cấp ủy, tổ chức đảng và đảng viên trong việc thực hiện quy định về "
     "những điều đảng viên không được làm\nCấp ủy phổ biến quy định.\n",
     [
         ("Điều 11", "Điều 11",
          "Trách nhiệm của cấp ủy, tổ chức đảng và đảng viên trong việc thực hiện quy định về "
          "những điều đảng viên không được làm Cấp ủy phổ biến quy định."),
     ]),
    ("nq-roman-then-arabic-caps",
     "I. ĐÁNH GIÁ TÌNH HÌNH\nNăm 2025, đảng bộ lãnh đạo hoàn thành các chỉ tiêu.\nII. MỤC TIÊU, "
     "NHIỆM VỤ\n1. Mục tiêu\nXây dựng đảng bộ trong sạch, vững mạnh.\n2. Chỉ tiêu\n- Kết nạp 20 "
     "đảng viên.\n- 90% chi bộ hoàn thành tốt nhiệm vụ.\n",
     [
         ("I. ĐÁNH GIÁ TÌNH HÌNH", "",
          "Năm 2025, đảng bộ lãnh đạo hoàn thành các chỉ tiêu."),
         ("II. MỤC TIÊU, NHIỆM VỤ › 1. Mục tiêu", "",
          "Xây dựng đảng bộ trong sạch, vững mạnh."),
         ("II. MỤC TIÊU, NHIỆM VỤ › 2. Chỉ tiêu", "",
          "- Kết nạp 20 đảng viên.\n- 90% chi bộ hoàn thành tốt nhiệm vụ."),
     ]),
    ("nq-preamble-then-quyet-nghi",
     "Đảng ủy phường họp ngày 5 tháng 1.\nQUYẾT NGHỊ:\n1. Thông qua báo cáo kết quả năm 2025.\n2. "
     "Giao chi ủy tổ chức thực hiện.\n",
     [
         ("", "",
          "Đảng ủy phường họp ngày 5 tháng 1.\nQUYẾT NGHỊ:\n1. Thông qua báo cáo kết quả năm "
          "2025.\n2. Giao chi ủy tổ chức thực hiện."),
     ]),
    ("nq-dieu-khoan-in-resolution",
     "Điều 1. Thông qua Nghị quyết về công tác xây dựng đảng năm 2026.\nĐiều 2. Tổ chức thực "
     "hiện\n1. Các chi bộ xây dựng kế hoạch.\n2. Ủy ban Kiểm tra giám sát.\n",
     [
         ("Điều 1", "Điều 1",
          "Thông qua Nghị quyết về công tác xây dựng đảng năm 2026."),
         ("Điều 2. Tổ chức thực hiện", "Điều 2, khoản 1",
          "1. Các chi bộ xây dựng kế hoạch."),
         ("Điều 2. Tổ chức thực hiện", "Điều 2, khoản 2",
          "2. Ủy ban Kiểm tra giám sát."),
     ]),
    ("qc-chuong-inline-dieu-khoan",
     "Chương I. QUY ĐỊNH CHUNG\nĐiều 1. Nguyên tắc làm việc\n1. Tập trung dân chủ.\n2. Tập thể "
     "lãnh đạo, cá nhân phụ trách.\nChương II. NHIỆM VỤ, QUYỀN HẠN\nĐiều 2. Ban Thường vụ\nBan "
     "Thường vụ họp mỗi tháng một lần.\n",
     [
         ("Chương I. QUY ĐỊNH CHUNG › Điều 1. Nguyên tắc làm việc", "Điều 1, khoản 1",
          "1. Tập trung dân chủ."),
         ("Chương I. QUY ĐỊNH CHUNG › Điều 1. Nguyên tắc làm việc", "Điều 1, khoản 2",
          "2. Tập thể lãnh đạo, cá nhân phụ trách."),
         ("Chương II. NHIỆM VỤ, QUYỀN HẠN › Điều 2. Ban Thường vụ", "Điều 2",
          "Ban Thường vụ họp mỗi tháng một lần."),
     ]),
    ("qc-chuong-label-only-nothing-under",
     "Chương IV\nĐiều 9. Điều khoản thi hành\nQuy chế có hiệu lực từ ngày ký.\n",
     [
         ("Chương IV › Điều 9. Điều khoản thi hành", "Điều 9",
          "Quy chế có hiệu lực từ ngày ký."),
     ]),
    ("qc-muc-under-roman-outline",
     "I. QUY ĐỊNH CHUNG\nMục 1. Phạm vi\nÁp dụng cho các chi bộ trực thuộc.\n",
     [
         ("I. QUY ĐỊNH CHUNG › Mục 1. Phạm vi", "Mục 1",
          "Áp dụng cho các chi bộ trực thuộc."),
     ]),
    ("hd-phan-then-roman-then-arabic",
     "Phần I. NHỮNG VẤN ĐỀ CHUNG\nI. Đối tượng\nĐảng viên chính thức và dự bị.\nPhần II. THỦ TỤC\n"
     "1. Hồ sơ\nĐơn và giấy giới thiệu.\n",
     [
         ("Phần I. NHỮNG VẤN ĐỀ CHUNG › I. Đối tượng", "Phần I",
          "Đảng viên chính thức và dự bị."),
         ("Phần II. THỦ TỤC › 1. Hồ sơ", "Phần II",
          "Đơn và giấy giới thiệu."),
     ]),
    ("hd-wrapped-pdf-lines-rejoin",
     "Mục 1. Đối tượng: đảng viên hưởng lương từ ngân sách nhà nước đóng 1% tiền lương\nhằng "
     "tháng theo hệ số.\n",
     [
         ("Mục 1. Đối tượng", "Mục 1",
          "đảng viên hưởng lương từ ngân sách nhà nước đóng 1% tiền lương hằng tháng theo hệ số."),
     ]),
    ("hd-time-colon-is-not-a-title-end",
     "Mục 4. Họp lúc 19:30 tại hội trường\nĐảng viên có mặt trước 15 phút.\n",
     [
         ("Mục 4. Họp lúc 19:30 tại hội trường", "Mục 4",
          "Đảng viên có mặt trước 15 phút."),
     ]),
    ("words-that-look-like-labels-are-content",
     "Phần lớn đảng viên đã đóng đảng phí.\nMục đích của hội nghị là đánh giá kết quả.\nĐiều quan "
     "trọng là thực hiện nghiêm túc.\nC. Mác đã chỉ rõ vai trò của quần chúng.\n",
     [
         ("", "",
          "Phần lớn đảng viên đã đóng đảng phí.\nMục đích của hội nghị là đánh giá kết quả.\nĐiều "
          "quan trọng là thực hiện nghiêm túc.\nC. Mác đã chỉ rõ vai trò của quần chúng."),
     ]),
    ("bc-signature-block-kept",
     "II. PHƯƠNG HƯỚNG\nTiếp tục củng cố chi bộ.\nNơi nhận:\n- Đảng ủy phường;\n- Lưu.\nT/M CHI "
     "BỘ\nBÍ THƯ\nNguyễn Văn An\n",
     [
         ("II. PHƯƠNG HƯỚNG", "",
          "Tiếp tục củng cố chi bộ.\nNơi nhận:\n- Đảng ủy phường;\n- Lưu.\nT/M CHI BỘ\nBÍ THƯ\n"
          "Nguyễn Văn An"),
     ]),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(" › ".join(c.headings), c.article, c.text) for c in chunk_text(text)]


def test_the_table_is_large_enough() -> None:
    assert len(LAYOUTS) >= 40
    assert len({name for name, _, _ in LAYOUTS}) == len(LAYOUTS)


@pytest.mark.parametrize(("name", "text", "expected"), LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_layout(name: str, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


def test_a_guidance_in_muc_and_phan_form_indexes_all_its_content(tmp_path: Path) -> None:
    """Issue 10: this document indexed as its title alone (or was refused as headings only)."""
    text = (
        "HƯỚNG DẪN\nvề thu, nộp đảng phí\n"
        "Phần I\nQUY ĐỊNH CHUNG\n"
        "Mục 1. Đối tượng và mức đóng: đảng viên hưởng lương đóng 1% tiền lương hằng tháng.\n"
        "Mục 2. Thời hạn: chi bộ nộp đảng phí lên cấp trên trước ngày 10 tháng sau.\n"
    )
    path = tmp_path / "hd.txt"
    path.write_text(text, encoding="utf-8")
    _doc, chunks = ingest_file(path, "hd.txt")
    assert [(c.article, c.headings[-1] if c.headings else "") for c in chunks] == [
        ("", ""),
        ("Mục 1", "Mục 1. Đối tượng và mức đóng"),
        ("Mục 2", "Mục 2. Thời hạn"),
    ]
    assert "1% tiền lương hằng tháng" in chunks[1].text
    assert "trước ngày 10 tháng sau" in chunks[2].text
