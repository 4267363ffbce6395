"""Payments of orders: how each was paid (method and reference), partial payments that add up,
reversals that correct a mistaken payment, and the payment clock (when an order must be paid
after its BAST, in working or calendar days)."""
