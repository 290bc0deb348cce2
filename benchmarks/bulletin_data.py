"""A synthetic monthly bulletin of a ward's Party committee, about 1,000 words: the month's news,
deadlines, document symbols, figures and addresses, as an editor would write it. Invented
names, units and figures; the document symbols follow the real formats."""

TEXT = """BẢN TIN SINH HOẠT CHI BỘ THÁNG 12/2025
Đảng bộ phường Hương An

I. TÌNH HÌNH CHUNG
Trong tháng 11/2025, Đảng ủy phường đã lãnh đạo các chi bộ hoàn thành tốt nhiệm vụ chính trị của địa phương. Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn cơ bản ổn định. Đời sống của nhân dân tiếp tục được cải thiện.

Đảng ủy đã tổ chức hội nghị quán triệt Chỉ thị 50-CT/TW của Ban Bí thư về tăng cường công tác kiểm tra, giám sát. Tham dự hội nghị có 412 đảng viên, đạt 96,5% tổng số đảng viên của Đảng bộ. Các đồng chí vắng mặt vì lý do sức khỏe đã được chi bộ gửi tài liệu đến tận nhà.

UBND phường phối hợp với Ủy ban MTTQ phường và các đoàn thể tổ chức Ngày hội Đại đoàn kết toàn dân tộc tại 14 khu phố. Tổng số tiền vận động ủng hộ Quỹ Vì người nghèo là 186.500.000 đồng, tăng 12,3% so với năm 2024.

II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 11
1. Công tác xây dựng Đảng
Các chi bộ đã tổ chức sinh hoạt chuyên đề theo Hướng dẫn 12-HD/BTGTW về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. Chi bộ khu phố 3 và chi bộ khu phố 7 được Đảng ủy biểu dương vì có cách làm sáng tạo.

Đảng ủy đã xét và đề nghị kết nạp 5 quần chúng ưu tú vào Đảng. Ba đảng viên dự bị đã được công nhận đảng viên chính thức theo Quy định 29-QĐ/TW. Đảng ủy trao Huy hiệu 50 năm tuổi Đảng cho 7 đồng chí và Huy hiệu 30 năm tuổi Đảng cho 11 đồng chí.

Công tác thu, nộp đảng phí đạt 100% kế hoạch. Tổng số đảng phí thu được trong quý IV là 38.240.000 đồng.

2. Công tác chính quyền
UBND phường đã triển khai Quyết định số 1254/QĐ-UBND ngày 3/11/2025 của UBND thành phố về chỉnh trang đô thị. Đã nâng cấp 1,2 km đường hẻm và lắp đặt 45 bóng đèn chiếu sáng công cộng. Diện tích cây xanh mới trồng là 850 m2.

Phường đã cấp 1.326 thẻ BHYT cho người cao tuổi và trẻ em dưới 6 tuổi. Tỷ lệ người dân tham gia BHYT đạt 94,8%. Công tác cải cách hành chính tiếp tục được đẩy mạnh. 87% hồ sơ được giải quyết trực tuyến qua Cổng dịch vụ công.

3. Công tác Mặt trận và các đoàn thể
MTTQ phường đã phối hợp tổ chức khám bệnh miễn phí cho 230 người cao tuổi. Hội Cựu chiến binh vận động hội viên tham gia giữ gìn ANTT tại các khu phố. Đoàn Thanh niên tổ chức 3 buổi ra quân làm sạch kênh rạch, thu gom hơn 2,5 tấn rác thải.

III. NHIỆM VỤ TRỌNG TÂM THÁNG 12
1. Tổ chức hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2025 theo Hướng dẫn 25-HD/BTCTW. Các chi bộ hoàn thành trước ngày 20/12/2025 và nộp biên bản về Văn phòng Đảng ủy trước 17 giờ ngày 22/12/2025.

2. Triển khai Kế hoạch 88/KH-UBND về phòng cháy chữa cháy trong mùa khô. Mỗi khu phố thành lập một tổ PCCC gồm từ 10 đến 15 thành viên. Thời gian ra quân là 7h30 sáng Chủ nhật, ngày 14/12/2025.

3. Chuẩn bị tổ chức Tết Nguyên đán Bính Ngọ năm 2026. UBND phường sẽ trao 320 suất quà cho gia đình chính sách và hộ nghèo, mỗi suất trị giá 1.500.000 đồng. Danh sách đề nghị gửi về Ủy ban MTTQ phường trước ngày 5/1/2026.

4. Tiếp tục học tập, quán triệt Nghị quyết 21-NQ/TW và Nghị quyết Đại hội XIV của Đảng. Mỗi đảng viên viết bản thu hoạch từ 2 đến 3 trang và nộp cho chi bộ trước ngày 31/12/2025.

IV. LỊCH SINH HOẠT VÀ CÔNG VIỆC CẦN NHỚ
- Thứ Hai, ngày 8/12: Hội nghị BCH Đảng bộ phường, lúc 8h00 tại hội trường UBND phường.
- Thứ Tư, ngày 10/12: Sinh hoạt chi bộ định kỳ, lúc 19h30 tại nhà văn hóa các khu phố.
- Thứ Sáu, ngày 19/12: Hạn cuối nộp báo cáo tổng kết năm theo Công văn 145-CV/ĐU.
- Thứ Hai, ngày 22/12: Kỷ niệm 81 năm Ngày thành lập Quân đội nhân dân Việt Nam.
- Ngày 3/2/2026: Kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam.

V. THÔNG TIN CẦN BIẾT
Từ ngày 1/1/2026, mức đóng đảng phí của đảng viên hưởng lương hưu được thực hiện theo Quyết định 342-QĐ/TW. Đảng viên có thắc mắc xin liên hệ đồng chí Trần Thị Mai, Phó Bí thư Đảng ủy phường, số điện thoại 0912 345 678.

Người dân có thể tra cứu thủ tục hành chính tại địa chỉ https://dichvucong.huongan.gov.vn. Mọi ý kiến đóng góp cho bản tin xin gửi về hộp thư bantin@huongan.gov.vn hoặc gửi trực tiếp cho chi ủy các chi bộ.

Nhiệt độ trung bình trong tháng 12 dự báo từ 18 đến 24°C. Người cao tuổi cần giữ ấm và hạn chế ra ngoài vào sáng sớm. Trạm y tế phường tiêm vắc xin cúm miễn phí vào sáng thứ Bảy hằng tuần, từ 7h00 đến 11h00.

VI. GƯƠNG NGƯỜI TỐT, VIỆC TỐT
Đồng chí Nguyễn Văn Hùng, 78 tuổi, đảng viên chi bộ khu phố 5, đã hiến 120 m2 đất để mở rộng đường vào khu dân cư. Việc làm của đồng chí được bà con khu phố đồng tình và noi theo. Đảng ủy phường đã tặng Giấy khen cho đồng chí.

Chị Lê Thị Hoa, bí thư chi đoàn khu phố 2, đã vận động thanh niên thành lập câu lạc bộ hướng dẫn người cao tuổi sử dụng điện thoại thông minh. Sau 3 tháng, câu lạc bộ đã giúp 64 cụ biết gọi video và đọc tin tức trên mạng.

Ban biên tập kính chúc các đồng chí đảng viên và bà con nhân dân một tháng mới mạnh khỏe, hạnh phúc.
"""
