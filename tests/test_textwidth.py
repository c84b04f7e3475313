from jixiao.textwidth import display_width


def test_ascii_and_cjk():
    assert display_width("3.80") == 4
    assert display_width("电脑3台") == 7
    assert display_width("１００％") == 8  # full-width forms


def test_ambiguous_characters_choose_their_width():
    assert display_width("“两个覆盖”") == 10
    assert display_width("“两个覆盖”", ambiguous_wide=True) == 12


def test_combining_marks_take_no_room():
    assert display_width("e\u0301") == 1
