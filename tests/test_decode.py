import codecs

import pytest

from advisor.frontend.decode import NotText, decode

TEXT = "SELECT 'Año – é' AS x\r\nFROM School\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM, as some tools write it
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_every_encoding_districts_save_in_gives_the_same_text(data, encoding):
    decoded = decode(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_cp1252_bytes_that_map_to_nothing_do_not_stop_decoding():
    assert decode(b"SELECT 1 -- \x81\x8d\xe9").text.startswith("SELECT 1 -- ")


@pytest.mark.parametrize("data", [b"SELECT 1\x00\x00", bytes(range(1, 32)) * 10])
def test_binary_data_is_not_text(data):
    with pytest.raises(NotText):
        decode(data)


def test_a_bom_that_lies_is_reported():
    with pytest.raises(NotText, match="utf-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate


def test_empty_input_is_empty_text():
    assert decode(b"").text == ""
