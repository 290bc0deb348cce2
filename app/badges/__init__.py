"""Huy hiệu Đảng: members due a party badge in a year, and recording the award."""
