from jixiao.cli import main
from jixiao.commands.show import render, wrap
from jixiao.textwidth import display_width


def test_display_width_counts_cjk_as_two():
    assert display_width("abc") == 3
    assert display_width("合计") == 4
    assert display_width("满意度≥99%") == 6 + 1 + 3  # ≥ is ambiguous-width: one column


def test_wrap_respects_width_and_keeps_numbers_whole():
    text = "公务接待费5万元，购买服务1人10.44万元，法律顾问服务费3万元"
    lines = wrap(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines) == text
    assert any("10.44" in line for line in lines)


def test_wrap_never_starts_a_line_with_a_comma():
    lines = wrap("一二三四五六七八九，十一二三", 18)
    assert not any(line.startswith("，") for line in lines[1:])
    assert "".join(lines) == "一二三四五六七八九，十一二三"


def test_show_golden(golden_path, capsys):
    assert main(["show", str(golden_path), "--width", "100"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(display_width(line) <= 100 for line in lines)
    total = next(line for line in lines if line.lstrip().startswith("合计") or " 合计 " in line)
    assert "491.59" in total and "489.20" in total and "99.51%" in total
    # numbers are right-aligned: every rate in the money table ends in the same column
    rate_rows = [line for line in lines if line.rstrip().endswith(("99.74%", "91.68%", "99.51%"))][:3]
    assert len({display_width(r.rstrip()) for r in rate_rows}) == 1
    assert "开展专题学习活动次数≧1" in out.replace("\n", "").replace(" ", "") or "开展专题学习活动次数≧1" in out


def test_show_narrow(golden_path, capsys):
    assert main(["show", str(golden_path), "--width", "50"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(display_width(line) <= 50 for line in lines), max(lines, key=display_width)
    assert any("合计" in line and "99.51%" in line for line in lines)


def test_show_summary_only(seed_table):
    text = render(seed_table, 120, summary_only=True)
    assert "年初绩效目标" not in text and "99.51%" in text


def test_show_marks_a_differing_printed_rate(seed_table):
    seed_table.projects[0].execution_rate_text = "99.00%"
    assert "99.74%*" in render(seed_table, 120, summary_only=True)
