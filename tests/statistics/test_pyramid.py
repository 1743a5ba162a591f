"""The population pyramid: the counts are the census's (the year before included), the PNG is
drawn — men's bars left of women's, both present, the size fixed —, the SVG keeps its Japanese
labels as text, a missing glyph is an error (no tofu), and the CLI and the API answer and audit
like every report."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from PIL import Image

from tests.conftest import AIZU
from tests.statistics.conftest import TODAY, D
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.statistics.services import BadRequest, population, pyramid

SVG = "{http://www.w3.org/2000/svg}"


def _counts(**options) -> pyramid.Pyramid:
    with tenant_context(AIZU):
        return pyramid.pyramid(AIZU, D, **options)


def _image(output="png", **options) -> bytes:
    with tenant_context(AIZU):
        return pyramid.pyramid_image(AIZU, D, output=output, **options)


def _pixels(png: bytes, colour: str) -> list[int]:
    """The x of every pixel of ``colour`` inside the plot (between the titles and the legend)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    data = image.load()
    return [
        x
        for y in range(int(height * 0.12), int(height * 0.85))
        for x in range(width)
        if all(abs(a - b) <= 8 for a, b in zip(data[x, y], target, strict=True))
    ]


def _texts(svg: bytes) -> list[str]:
    """The SVG parsed as XML (well-formed, our own output) and its text elements."""
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: S314


def test_the_counts_are_the_census_and_the_year_before(small_town, system_actor):
    found = _counts()
    assert len(found.groups) == 21 and found.groups[0] == "0-4" and found.groups[-1] == "100+"
    assert (sum(found.male), sum(found.female)) == (6, 5)
    assert found.female[-1] == 1  # the 100-year-old
    before = registry.year_before(D)[0]
    assert found.previous_day == before
    with tenant_context(AIZU):
        then = population.population_report(AIZU, before).json["tables"]["total"]["population"]
    assert (sum(found.previous_male), sum(found.previous_female)) == (then["male"], then["female"])
    single = _counts(width=1, compare=False)
    assert len(single.groups) == 101 and single.previous_male is None
    assert sum(single.male) + sum(single.female) == 11


def test_the_png_draws_both_sexes_on_their_sides(small_town, system_actor, django_assert_num_queries):
    with tenant_context(AIZU), django_assert_num_queries(3):  # two censuses and the audit row
        png = pyramid.pyramid_image(AIZU, D)
    assert png.startswith(b"\x89PNG") and Image.open(io.BytesIO(png)).size == (800, 640)
    men, women = _pixels(png, pyramid.MALE), _pixels(png, pyramid.FEMALE)
    assert len(men) > 500 and len(women) > 500
    assert max(men) < min(women)  # men left of the axis, women right
    with tenant_context(AIZU):
        (row,) = AuditEntry.objects.filter(resource=pyramid.RESOURCE)
    assert row.action == "export" and row.detail["format"] == "png" and row.detail["population"] == 11
    assert row.detail["compared_with"] == registry.year_before(D)[0].isoformat()


def test_the_svg_keeps_its_japanese_labels_as_text(small_town, system_actor):
    texts = _texts(_image("svg"))
    for label in ("男", "女", "年齢", "人口（人）", "100以上", "0～4"):
        assert label in texts, label
    joined = " ".join(texts)
    assert "福島県会津若松市の人口ピラミッド" in joined
    assert f"（{D.year}年{D.month}月{D.day}日）現在" in joined and "令和" in joined
    assert "1年前（" in joined and "男（6人）" in joined and "女（5人）" in joined
    alone = " ".join(_texts(_image("svg", compare=False)))
    assert "1年前" not in alone


def test_a_label_the_font_cannot_draw_is_an_error_not_tofu():
    drawn = pyramid.Pyramid(AIZU, D, 5, ["🀄"], [1], [1])
    with pytest.raises(RuntimeError, match="lacks glyphs"):
        pyramid.render(drawn, "png")


def test_bad_bands_and_days_name_their_field(aizu, system_actor):
    with tenant_context(AIZU), pytest.raises(BadRequest) as bands:
        pyramid.pyramid(AIZU, D, width=10)
    assert bands.value.field == "bands"
    with tenant_context(AIZU), pytest.raises(BadRequest) as day:
        pyramid.pyramid(AIZU, TODAY + timedelta(days=2))
    assert day.value.field == "as_of"


def test_the_cli_writes_png_and_svg(small_town, tmp_path, capsys):
    out = tmp_path / "pyramid.png"
    assert main(["report", "pyramid", AIZU, "--as-of", D.isoformat(), "--out", str(out), "--bands", "1"]) == 0
    assert Image.open(out).size == (800, 640)
    assert main(["report", "pyramid", AIZU, "--as-of", D.isoformat(), "--format", "svg", "--no-compare"]) == 0
    assert "人口ピラミッド" in capsys.readouterr().out
    with tenant_context(AIZU):
        details = [
            e.detail for e in AuditEntry.objects.filter(resource=pyramid.RESOURCE).order_by("chain_no")
        ]
    assert [(d["format"], d["bands"], d["compared_with"] is None) for d in details] == [
        ("png", 1, False),
        ("svg", 5, True),
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", D.isoformat()], "エラー: --format png には --out FILE"),
        (
            ["--as-of", (TODAY + timedelta(days=2)).isoformat(), "--format", "svg"],
            "エラー: --as-of: 基準日は",
        ),
        (["--as-of", D.isoformat(), "--bands", "3", "--format", "svg"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line(aizu, capsys, argv, message):
    code = main(["report", "pyramid", AIZU, *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def _get(client, token, query):
    return client.get(f"/api/v1/{AIZU}/statistics/pyramid?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_answers_images_with_the_scope(small_town, client, token_for):
    token = token_for(AIZU, ["statistics:read"])
    png = _get(client, token, f"as_of={D}")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (800, 640)
    svg = _get(client, token, f"as_of={D}&format=svg&bands=1&compare=false")
    assert svg["Content-Type"] == "image/svg+xml", svg.content
    assert b"\xe5\xb9\xb4\xe9\xbd\xa2" in svg.content  # 年齢
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(resource=pyramid.RESOURCE, actor_type="client").count() == 2
    assert _get(client, token_for(AIZU, ["registry:read"]), f"as_of={D}").status_code == 403
    late = _get(client, token, f"as_of={TODAY + timedelta(days=2)}")
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "as_of"
    assert _get(client, token, f"as_of={D}&bands=3").status_code == 422
    assert _get(client, token, f"as_of={D}&format=gif").status_code == 422
