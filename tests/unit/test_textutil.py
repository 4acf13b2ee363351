from newsprism.textutil import components, cut_suffix


def test_cut_suffix() -> None:
    assert cut_suffix("claims") == cut_suffix("claimed") == "claim"
    assert cut_suffix("restored") == cut_suffix("restore") == "restor"
    assert cut_suffix("talks") == "talk" and cut_suffix("gas") == "gas"


def test_components_are_ordered_by_first_item() -> None:
    pairs = {(0, 3), (3, 5), (1, 4)}
    assert components(6, lambda i, j: (i, j) in pairs) == [[0, 3, 5], [1, 4], [2]]
    assert components(0, lambda i, j: True) == []
