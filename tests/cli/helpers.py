"""Files and helpers for the command-line tests: a tiny methodology whose results are computed
by hand in the tests, its units and its inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
TINY = HERE / "tiny.yaml"
SAMPLE = ROOT / "src" / "parindex" / "methodologies" / "so-ban-nganh-mau.yaml"
EXAMPLES = ROOT / "docs" / "examples"

UNITS_CSV = """\
code,name,type,group,exempt
A,Sở A,department,Sở,
B,Sở B,department,Sở,
C,Cơ quan C,central_agency,Trung ương,
D,Sở D,department,Sở,2
"""

# Hand-computed in test_score.py. "87,5" and "66,25" use the Vietnamese decimal comma.
INPUTS_CSV = """\
unit,node,input,value
A,1.1,,on_time
A,1.2,numerator,45
A,1.2,denominator,50
A,2.1,,"87,5"
A,2.2,,có
A,3.1,,80
A,4.1,,3
A,5.1,,1
B,1.1,,late
B,1.2,numerator,7
B,1.2,denominator,10
B,2.1,,50
B,2.2,,không
B,3.1,,75
B,4.1,,0
B,5.1,,0
C,1.1,,on_time
C,1.2,numerator,0
C,1.2,denominator,0
C,2.1,,"99,99"
C,3.1,,"66,25"
C,4.1,,1
C,5.1,,3

D,1.1,,none
D,1.2,numerator,9
D,1.2,denominator,10
D,3.1,,100
D,4.1,,2
"""

Run = Callable[..., tuple[int, str, str]]


def score_args(files: dict[str, Path], out: Path, **override: Path) -> list[object]:
    paths = {**files, **override}
    return [
        "score",
        "--methodology",
        paths["methodology"],
        "--units",
        paths["units"],
        "--inputs",
        paths["inputs"],
        "--out",
        out,
    ]
