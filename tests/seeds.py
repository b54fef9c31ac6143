"""The six seed qualifications the project started from (seeds 000-003, 09628, 09629), by model
id, in seed order: models/ holds more (the catalogue), so tests that mean these name them here."""

SEEDS = [
    "ocr-l2-diploma-customer-service",
    "cg-5530-02-l2-diploma-customer-service",
    "ocr-l4-nvq-diploma-customer-service",
    "ocr-l2-nvq-customer-service",
    "ocr-09628-l2-certificate-principles-customer-service",
    "ocr-09629-l3-certificate-principles-customer-service",
]
