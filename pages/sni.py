"""SNI classification: each condition of MIFIDPRU 1.2.1R against its threshold."""

from __future__ import annotations

import streamlit as st

from ui.calculator import calculator_panel
from ui.charts import sni_bullets
from ui.context import page_context, require_firm
from ui.data import sni_conditions
from ui.position import firm_inputs

context = page_context()
require_firm(context)

st.title("SNI classification")
st.caption(
    "MIFIDPRU 1.2.1R: a firm is a small and non-interconnected (SNI) firm only "
    "if every condition holds. Each threshold test is strict: a value equal to "
    "the threshold fails."
)
st.info(
    "Our reading: the averages are prefilled from the K-factor calculations, "
    "whose averaging windows stand in for the SNI measurement periods "
    "(MIFIDPRU 1.2.1R). The balance sheet total and the revenue of the two "
    "previous years have no upload: enter them to complete the test."
)
_, result = calculator_panel(context, "sni", "sni", firm_inputs(context, "sni"))
if result is not None:
    conditions = sni_conditions(result)
    if conditions:
        st.plotly_chart(sni_bullets(conditions), key="sni-bullets")
