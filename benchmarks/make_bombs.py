"""Hostile inputs for benchmarks/refusals.sh, written into the current folder."""

import gzip
import zipfile

MIB = 1 << 20


def gzip_bomb() -> None:
    """2 GiB of spaces inside a JSON string: about 2 MB compressed."""
    with gzip.open("bomb.json.gz", "wb", compresslevel=9) as stream:
        stream.write(b'{"format": "planner-backup", "x": "')
        for _ in range(2048):
            stream.write(b" " * MIB)
        stream.write(b'"}')


def sheet_bomb() -> None:
    """An xlsx whose one sheet inflates to 3 GiB: about 3 MB compressed."""
    with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(3072):
                sheet.write(b"0" * MIB)


if __name__ == "__main__":
    gzip_bomb()
    sheet_bomb()
