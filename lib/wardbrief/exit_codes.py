"""The exit codes of every `wardbrief` command, declared once (README and
docs/WORKBOOK.md list them; a test checks the list is documented)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA_ERRORS = 1  # rows rejected, the workbook cannot be briefed, or a report failed
EXIT_SOURCE = 2  # the source cannot be read (file, folder, Google Sheet)
EXIT_LOCKED = 3  # another run holds outputs/.lock
EXIT_UNDELIVERED = 4  # `send`, `run --send`: a message was refused (5xx) or never got through
EXIT_MAIL_CONFIG = 5  # `send`, `run --send`: e-mail not set up, or the password file not private
EXIT_WARDS_NOT_BRIEFED = 6  # `city`: a ward of the registry was not briefed (the rest written)

EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (EXIT_OK, "mọi việc đã xong, không có lỗi dữ liệu", "done, no data errors"),
    (EXIT_DATA_ERRORS, ("có lỗi dữ liệu (dòng bị loại), bảng tính không đủ để báo cáo, "
     "hoặc một báo cáo không lập được"),
     "data errors (rows rejected), the workbook cannot be briefed, or a report failed"),
    (EXIT_SOURCE, "không đọc được nguồn dữ liệu (tệp, thư mục, Google Sheet)",
     "the source cannot be read (file, folder, Google Sheet)"),
    (EXIT_LOCKED, "một lần chạy khác đang giữ outputs/.lock", "another run holds outputs/.lock"),
    (EXIT_UNDELIVERED, ("có thư chưa gửi được (máy chủ thư từ chối một người nhận, hoặc "
     "không kết nối được sau nhiều lần thử)"),
     ("a message was not delivered (a recipient refused, or the server unreachable after the "
     "retries)")),
    (EXIT_MAIL_CONFIG, ("chưa thiết lập thư điện tử (thiếu mục [mail] hoặc một tham số), "
     "hoặc tệp mật khẩu để người khác đọc được; không thư nào được gửi"),
     ("e-mail is not set up ([mail] missing or incomplete), or the password file can be read "
     "by others; nothing was sent")),
    (EXIT_WARDS_NOT_BRIEFED, ("`city`: có phường không lập được báo cáo (không đọc được bảng "
     "tính, hoặc bảng tính thiếu trang hay cột bắt buộc); city.json và báo cáo của thành phố "
     "vẫn được lập, nêu tên từng phường và lý do"),
     ("`city`: a ward of the registry was not briefed (its sheet unreadable, or a required "
      "tab or column missing); city.json and the city briefing are still written, naming "
      "each such ward and why")),
)
