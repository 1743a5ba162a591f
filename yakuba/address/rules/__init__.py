"""Pure rules of the address master (no Django, no database): docs/address.md."""

from yakuba.address.rules.blocks import block_number, block_range_problem, check_block
from yakuba.address.rules.names import clean_name, postal_code

__all__ = ["block_number", "block_range_problem", "check_block", "clean_name", "postal_code"]
