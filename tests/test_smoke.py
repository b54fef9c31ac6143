from pathlib import Path

from pathway import audit, load_model

MODELS = Path(__file__).parent.parent / "models"


SEEDS = [
    "cg-5530-02-l2-diploma-customer-service",
    "ocr-09628-l2-certificate-principles-customer-service",
    "ocr-09629-l3-certificate-principles-customer-service",
    "ocr-l2-diploma-customer-service",
    "ocr-l2-nvq-customer-service",
    "ocr-l4-nvq-diploma-customer-service",
]


def test_every_seed_model_loads():
    names = sorted(p.stem for p in MODELS.glob("*.yaml"))
    assert set(SEEDS) <= set(names)  # the catalogue holds more
    for name in names:
        q = load_model(MODELS / f"{name}.yaml")
        assert q.id == name and q.units and q.rules


def test_ocr_diploma_hand_checked_pathway_is_achieved():
    q = load_model(MODELS / "ocr-l2-diploma-customer-service.yaml")
    # A: 19 credits; B: unit 6 = 3; C: 8,9,11,12,14 = 15 credits + 10 (2) = 17; D: 25 = 2. Total 19+3+17+2 = 41 < 45.
    ids = [
        q.find(n).id for n in ["1", "2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "14", "25"]
    ]
    result = audit(q, ids)
    assert not result.achieved
    assert [r.rule.key for r in result.failures] == ["R1"]
    assert result.failures[0].needed == "4 more credits"
