#!/usr/bin/python3
"""Build the district covariates from the bundled source copies (issue 17).

Reads
  data/covariates/sources/raw_cso_pop_13_14.csv  CSO "Settled Population of <province> by Civil
                                                 Division, Urban, Rural and Sex - 2013-14"
  data/covariates/major_cities.csv               the major cities distances are measured to
  data/gazetteer/afg_districts.csv, pak_districts_2015.csv, pak_districts_2022_ocha.csv,
  data/gazetteer/afpak_districts_2015.geojson    (only to check that each city lies in its district)
writes
  data/covariates/afg_population_crosswalk.csv   every CSO row, the district it was assigned to, how
  data/covariates/district_covariates.csv        one row per unit of the 546, in gazetteer order
and prints a verification report. Standard library only; the output is deterministic (running the
script twice gives byte-identical files). `--check` compares instead of writing and exits 1 on a
difference.

    /usr/bin/python3 tools/covariates/build_covariates.py [--data DIR] [--check]

Nothing here is estimated: a value comes from a named table, is a documented coarse assumption
(the Shia presence levels, each with its basis), or is left empty.
"""

import argparse
import csv
import io
import json
import math
import re
import sys
from pathlib import Path

EARTH_RADIUS_KM = 6371.0

# ---------------------------------------------------------------------------------------------
# CSO 2013-14 (solar year 1392) settled population by district
# ---------------------------------------------------------------------------------------------

CSO_FILE = "raw_cso_pop_13_14.csv"
CSO_YEAR = "2013-14"
CSO_SOURCE = "CSO 2013-14 settled population (raw_cso_pop_13_14.csv)"
CSO_URBAN_SOURCE = "CSO 2013-14 urban/total settled population (raw_cso_pop_13_14.csv)"

# CSO province label (the "<Name> Province" cell of each block) -> gazetteer admin1_province.
CSO_PROVINCE = {
    "Kabul": "Kabul", "Kapisa": "Kapisa", "Parwan": "Parwan", "Wardak": "Wardak", "Logar": "Logar",
    "Nangarhar": "Nangarhar", "Laghman": "Laghman", "Panjsher": "Panjshir", "Baghlan": "Baghlan",
    "Bamyan": "Bamyan", "Ghazni": "Ghazni", "Paktika": "Paktika", "Paktya": "Paktya",
    "Khost": "Khost", "Kunarha": "Kunar", "Nooristan": "Nuristan", "Badakhshan": "Badakhshan",
    "Takhar": "Takhar", "Kunduz": "Kunduz", "Samangan": "Samangan", "Balkh": "Balkh",
    "Saripul": "Sari Pul", "Ghor": "Ghor", "Daykundi": "Daykundi", "Urozgan": "Uruzgan",
    "Zabul": "Zabul", "Kandahar": "Kandahar", "Jawzjan": "Jawzjan", "Faryab": "Faryab",
    "Helmand": "Hilmand", "Badghis": "Badghis", "Herat": "Hirat", "Farah": "Farah",
    "Nimroz": "Nimroz",
}

# Rows whose name is not the gazetteer's (after ignoring case, spaces and punctuation) inside the
# same province: (CSO province, CSO row number) -> (district_id, gazetteer name, method, note).
# method "spelling": the same district under another transliteration (the id's gazetteer name is
# checked, so a typo here fails the build); "manual": a judgement, with its reason.
# Provincial centres are listed by the CSO as "<Province> Center (<town>)" and matched on the town.
PARENT_NOTE = ("parent from the CSO's own earlier editions that count it whole (the arithmetic is in "
               "advaitsridhar/DemographicMap scripts/fetch_census/afghanistan_estimates.py TEMPORARY_PARENT)")
OTHER_PROVINCE = "the gazetteer places it in {gp} (its provinces come from a point-in-polygon test)"
NAMED = {
    ("Kabul", "01"): ("AFG-187", "Kabul", "spelling", "provincial centre (Kabul city)"),
    ("Kabul", "05"): ("AFG-154", "Dih Sabz", "spelling", ""),
    ("Kabul", "07"): ("AFG-098", "Musayi", "spelling", ""),
    ("Kabul", "09"): ("AFG-286", "Khaki Jabbar", "spelling", ""),
    ("Kabul", "13"): ("AFG-019", "Istalif", "spelling", ""),
    ("Kabul", "15"): ("AFG-071", "Surobi", "spelling", "Kabul's Surobi; Paktika's Sarobi is AFG-129"),
    ("Kapisa", "01"): ("AFG-130", "Mahmudi Raqi", "spelling", "provincial centre"),
    ("Kapisa", "02"): ("AFG-357", "Hisa-i-Duwumi Kohistan", "spelling", ""),
    ("Kapisa", "04"): ("AFG-059", "Hisa-i-Awali Kohistan", "spelling", ""),
    ("Kapisa", "07"): ("AFG-220", "Alasay", "spelling", ""),
    ("Parwan", "01"): ("AFG-304", "Chaharikar", "spelling", "provincial centre"),
    ("Parwan", "04"): ("AFG-350", "Sayd Khel", "spelling", ""),
    ("Parwan", "05"): ("AFG-155", "Jabalussaraj", "spelling", ""),
    ("Parwan", "07"): ("AFG-188", "Sia Gird ( Ghorbund)", "spelling", ""),
    ("Parwan", "08"): ("AFG-380", "Kohi Safi", "spelling", ""),
    ("Parwan", "10"): ("AFG-276", "Shekh Ali", "spelling", ""),
    ("Wardak", "01"): ("AFG-322", "Maydan Shahr", "spelling", "provincial centre"),
    ("Wardak", "02"): ("AFG-282", "Nirkh", "spelling", ""),
    ("Wardak", "04"): ("AFG-074", "Chaki Wardak", "spelling", ""),
    ("Wardak", "05"): ("AFG-325", "Saydabad", "spelling", ""),
    ("Wardak", "06"): ("AFG-379", "Day Mirdad", "spelling", ""),
    ("Wardak", "07"): ("AFG-126", "Hisa-I- Awali Bihsud", "spelling", ""),
    ("Wardak", "08"): ("AFG-347", "Jaghatu", "manual",
                       "Wardak's Jaghatu (centroid 33.84 N 68.36 E on the Wardak side); " +
                       OTHER_PROVINCE.format(gp="Ghazni") + "; Ghazni's Jaghatu is AFG-161"),
    ("Wardak", "09"): ("AFG-223", "Markazi Bihsud", "spelling", ""),
    ("Logar", "04"): ("AFG-162", "Khoshi", "spelling", ""),
    ("Logar", "07"): ("AFG-360", "Azra", "manual", OTHER_PROVINCE.format(gp="Paktya")),
    ("Nangarhar", "01"): ("AFG-195", "Jalalabad", "spelling", "provincial centre"),
    ("Nangarhar", "02"): ("AFG-167", "Bihsud", "spelling", ""),
    ("Nangarhar", "03"): ("AFG-225", "Surkh Rod", "spelling", ""),
    ("Nangarhar", "08"): ("AFG-206", "Khogayani", "spelling", ""),
    ("Nangarhar", "11"): ("AFG-091", "Pachier Agam", "spelling", ""),
    ("Nangarhar", "12"): ("AFG-103", "Dara-I-Nur", "spelling", ""),
    ("Nangarhar", "15"): ("AFG-029", "Acheen", "spelling", ""),
    ("Nangarhar", "18"): ("AFG-354", "Lal Por", "spelling", ""),
    ("Nangarhar", "19"): ("AFG-362", "Shirzad", "spelling", ""),
    ("Laghman", "01"): ("AFG-333", "Mihtarlam", "spelling", "provincial centre"),
    ("Laghman", "02"): ("AFG-368", "Qarghayi", "spelling", ""),
    ("Laghman", "05"): ("AFG-311", "Daulatshahi", "spelling", ""),
    ("Panjsher", "01"): ("AFG-099", "Bazarak", "spelling", "provincial centre"),
    ("Panjsher", "03"): ("AFG-274", "Dara", "spelling", ""),
    ("Panjsher", "04"): ("AFG-203", "Khenj (Hese- Awal)", "spelling", ""),
    ("Panjsher", "06"): ("AFG-077", "Shutul", "manual", OTHER_PROVINCE.format(gp="Parwan")),
    ("Baghlan", "02"): ("AFG-393", "Dahana-I- Ghuri", "spelling", ""),
    ("Baghlan", "04"): ("AFG-058", "Nahrin", "spelling", ""),
    ("Baghlan", "05"): ("AFG-097", "Baghlani Jadid", "spelling", ""),
    ("Baghlan", "08"): ("AFG-080", "Dih Salah", "spelling", ""),
    ("Baghlan", "09"): ("AFG-232", "Khwaja Hijran (Jilga Nahrin)", "spelling", ""),
    ("Baghlan", "12"): ("AFG-008", "Puli Hisar", "spelling", ""),
    ("Baghlan", "14"): ("AFG-209", "Guzargahi Nur", "spelling", ""),
    ("Baghlan", "15"): ("AFG-394", "Farang Wa Gharu", "spelling", ""),
    ("Bamyan", "02"): ("AFG-370", "Shibar", "spelling", ""),
    ("Bamyan", "03"): ("AFG-239", "Sayghan", "manual", OTHER_PROVINCE.format(gp="Baghlan")),
    ("Bamyan", "04"): ("AFG-124", "Kahmard", "manual", OTHER_PROVINCE.format(gp="Baghlan")),
    ("Ghazni", "02"): ("AFG-025", "Wali Muhammadi Shahid", "spelling", ""),
    ("Ghazni", "03"): ("AFG-363", "Khwaja Umari", "spelling", ""),
    ("Ghazni", "05"): ("AFG-148", "Dih Yak", "spelling", ""),
    ("Ghazni", "06"): ("AFG-161", "Bahrami Shahid (Jaghatu)", "manual",
                       "Ghazni's Jaghatu (Bahrami Shahid); the gazetteer's plain 'Jaghatu' AFG-347 is "
                       "Wardak's"),
    ("Paktika", "05"): ("AFG-283", "Sar Hawza", "spelling", ""),
    ("Paktika", "10"): ("AFG-129", "Sarobi", "spelling", "Paktika's Sarobi; Kabul's Surobi is AFG-071"),
    ("Paktika", "11"): ("AFG-315", "Urgun", "spelling", ""),
    ("Paktika", "15"): ("AFG-092", "Gayan", "spelling", ""),
    ("Paktika", "16"): ("AFG-290", "Dila", "spelling", ""),
    ("Paktika", "17"): ("AFG-308", "Waza Khwa", "spelling", ""),
    ("Paktika", "18"): ("AFG-120", "Wor Mayi", "spelling", ""),
    ("Paktya", "01"): ("AFG-007", "Gardiz", "spelling", "provincial centre"),
    ("Paktya", "02"): ("AFG-348", "Ahmad Abad", "spelling", ""),
    ("Paktya", "04"): ("AFG-204", "Shawak", "spelling", ""),
    ("Paktya", "05"): ("AFG-375", "Zadran", "spelling", ""),
    ("Paktya", "06"): ("AFG-245", "Sayed Karam", "spelling", ""),
    ("Paktya", "07"): ("AFG-027", "Ali Khail (Jaji)", "spelling", ""),
    ("Paktya", "08"): ("AFG-227", "Laja Ahmad Khail", "spelling", ""),
    ("Paktya", "09"): ("AFG-174", "Jani Khail", "spelling", "Paktya's; Paktika's Jani Khel is AFG-334"),
    ("Paktya", "10"): ("AFG-319", "Chamkani", "spelling", ""),
    ("Khost", "01"): ("AFG-277", "Khost(Matun)", "spelling", "provincial centre"),
    ("Khost", "02"): ("AFG-090", "Mando Zayi", "spelling", ""),
    ("Khost", "04"): ("AFG-250", "Tani", "spelling", ""),
    ("Khost", "05"): ("AFG-159", "Mosa Khail", "spelling", ""),
    ("Khost", "07"): ("AFG-260", "Sabri", "spelling", ""),
    ("Khost", "08"): ("AFG-022", "Tere Zayi", "spelling", ""),
    ("Khost", "09"): ("AFG-065", "Bak", "spelling", ""),
    ("Khost", "11"): ("AFG-037", "Spira", "spelling", ""),
    ("Khost", "12"): ("AFG-039", "Shamal", "manual", OTHER_PROVINCE.format(gp="Paktya")),
    ("Kunarha", "03"): ("AFG-003", "Wata Pur", "spelling", ""),
    ("Kunarha", "04"): ("AFG-165", "Narang", "spelling", ""),
    ("Kunarha", "06"): ("AFG-376", "Shaygal wa shital", "spelling", ""),
    ("Kunarha", "07"): ("AFG-171", "Dara-I-Pech", "spelling", ""),
    ("Kunarha", "09"): ("AFG-021", "Chawkay", "spelling", ""),
    ("Kunarha", "14"): ("AFG-177", "Nurgal", "spelling", ""),
    ("Nooristan", "01"): ("AFG-390", "Parun", "spelling", "provincial centre"),
    ("Nooristan", "04"): ("AFG-288", "Nurgaram", "spelling", ""),
    ("Badakhshan", "01"): ("AFG-023", "Fayzabad", "spelling", "provincial centre; Jawzjan's Fayzabad is AFG-101"),
    ("Badakhshan", "03"): ("AFG-210", "Arghanj Khaw", "spelling", ""),
    ("Badakhshan", "04"): ("AFG-252", "Yaftal Sufla", "spelling", ""),
    ("Badakhshan", "12"): ("AFG-339", "Shahada", "spelling", ""),
    ("Badakhshan", "15"): ("AFG-095", "Kishim", "spelling", ""),
    ("Badakhshan", "16"): ("AFG-128", "Warduj", "spelling", ""),
    ("Badakhshan", "17"): ("AFG-013", "Tagab (Kishmi Bala)", "spelling", "Badakhshan's Tagab; Kapisa's is AFG-349"),
    ("Badakhshan", "22"): ("AFG-291", "Darwaz", "spelling", "Darwaz-e-Payin"),
    ("Badakhshan", "23"): ("AFG-278", "Ishkashiem", "spelling", ""),
    ("Badakhshan", "24"): ("AFG-047", "Shaki", "spelling", ""),
    ("Badakhshan", "26"): ("AFG-172", "Kuran Wa Munjan", "spelling", ""),
    ("Badakhshan", "27"): ("AFG-070", "Darwazbala", "spelling", ""),
    ("Takhar", "07"): ("AFG-244", "Kalfagan", "spelling", ""),
    ("Takhar", "11"): ("AFG-085", "Ishkamish", "spelling", ""),
    ("Kunduz", "02"): ("AFG-175", "Chahar Dara", "spelling", ""),
    ("Kunduz", "05"): ("AFG-202", "Imam Sahib", "spelling", ""),
    ("Kunduz", "07"): ("AFG-156", "Qalay-I- Zal", "spelling", ""),
    ("Samangan", "02"): ("AFG-385", "Hazrati Sultan", "spelling", ""),
    ("Samangan", "04"): ("AFG-218", "Feroz Nakhchir", "manual", OTHER_PROVINCE.format(gp="Balkh")),
    ("Samangan", "05"): ("AFG-261", "Ruyi Du Ab", "spelling", ""),
    ("Samangan", "06"): ("AFG-041", "Dara-I-Sufi Payin", "spelling", ""),
    ("Samangan", "07"): ("AFG-309", "Dara-I-Sufi Bala", "spelling", ""),
    ("Balkh", "01"): ("AFG-264", "Mazari Sharif", "spelling", "provincial centre"),
    ("Balkh", "03"): ("AFG-020", "Dihdadi", "spelling", ""),
    ("Balkh", "04"): ("AFG-331", "Chahar Kint", "spelling", ""),
    ("Balkh", "11"): ("AFG-314", "Chahar Bolak", "spelling", ""),
    ("Balkh", "14"): ("AFG-238", "Kishindih", "spelling", ""),
    ("Saripul", "01"): ("AFG-345", "Sari Pul", "spelling", "provincial centre"),
    ("Saripul", "05"): ("AFG-117", "Sangcharak", "spelling", ""),
    ("Ghor", "01"): ("AFG-305", "Chaghcharan", "spelling", "provincial centre"),
    ("Ghor", "02"): ("AFG-151", "Du Layna", "spelling", ""),
    ("Daykundi", "03"): ("AFG-327", "Ishtarlay", "spelling", ""),
    ("Daykundi", "04"): ("AFG-336", "Khadir", "spelling", ""),
    ("Daykundi", "05"): ("AFG-253", "Gaiti", "spelling", ""),
    ("Daykundi", "07"): ("AFG-343", "Sangi Takht", "spelling", ""),
    ("Daykundi", "08"): ("AFG-012", "Kajran", "spelling", ""),
    ("Urozgan", "02"): ("AFG-081", "Dihrawud", "spelling", ""),
    ("Urozgan", "04"): ("AFG-272", "Shahidi Hassas", "spelling", ""),
    ("Urozgan", "05"): ("AFG-110", "Khas Uruzgan", "spelling", ""),
    ("Urozgan", "06"): ("AFG-302", "Gizab", "manual",
                        "the CSO counts Gizab in Uruzgan; " + OTHER_PROVINCE.format(gp="Daykundi")),
    ("Zabul", "02"): ("AFG-217", "Tarnak Wa Jaldak", "spelling", ""),
    ("Zabul", "03"): ("AFG-197", "Shinkay", "spelling", ""),
    ("Zabul", "06"): ("AFG-100", "Shahjoy", "spelling", ""),
    ("Zabul", "07"): ("AFG-383", "Daychopan", "spelling", ""),
    ("Zabul", "09"): ("AFG-259", "Naw Bahar", "manual", OTHER_PROVINCE.format(gp="Ghazni")),
    ("Zabul", "10"): ("AFG-016", "Shamulzayi", "spelling", ""),
    ("Zabul", "11"): ("AFG-240", "Kakar", "spelling", ""),
    ("Kandahar", "04"): ("AFG-346", "Panjwayi", "spelling", ""),
    ("Kandahar", "05"): ("AFG-144", "Zhari", "spelling", ""),
    ("Kandahar", "10"): ("AFG-268", "Maywand", "spelling", ""),
    ("Kandahar", "12"): ("AFG-233", "Nesh", "manual", OTHER_PROVINCE.format(gp="Uruzgan")),
    ("Kandahar", "16"): ("AFG-337", "Registan", "spelling", "CSO 'Reg (Shiga)'"),
    ("Jawzjan", "01"): ("AFG-189", "Shibirghan", "spelling", "provincial centre"),
    ("Jawzjan", "03"): ("AFG-094", "Khaniqa", "spelling", ""),
    ("Jawzjan", "04"): ("AFG-102", "Mangajek", "spelling", ""),
    ("Jawzjan", "06"): ("AFG-166", "Kham Ab", "spelling", ""),
    ("Jawzjan", "07"): ("AFG-157", "Aqcha", "spelling", ""),
    ("Jawzjan", "08"): ("AFG-101", "Fayzabad", "spelling", "Jawzjan's Fayzabad; Badakhshan's is AFG-023"),
    ("Faryab", "01"): ("AFG-224", "Maymana", "spelling", "provincial centre"),
    ("Faryab", "03"): ("AFG-338", "Khwaja Sabz Posh", "spelling", ""),
    ("Faryab", "07"): ("AFG-014", "Qaysar", "spelling", ""),
    ("Faryab", "11"): ("AFG-084", "Qaramqol", "spelling", ""),
    ("Faryab", "14"): ("AFG-205", "Khani Chahar Bagh", "spelling", ""),
    ("Helmand", "03"): ("AFG-063", "Nawa-I- Barak Zayi", "spelling", ""),
    ("Helmand", "04"): ("AFG-057", "Nahri Sarraj", "spelling", ""),
    ("Helmand", "11"): ("AFG-068", "Reg(Khanshin)", "spelling", ""),
    ("Badghis", "01"): ("AFG-009", "Qala-I- Naw", "spelling", "provincial centre"),
    ("Badghis", "05"): ("AFG-201", "Bala Murghab", "spelling", ""),
    ("Herat", "01"): ("AFG-182", "Hirat", "spelling", "provincial centre (Herat city)"),
    ("Herat", "02"): ("AFG-005", "Injil", "spelling", ""),
    ("Herat", "03"): ("AFG-137", "Guzara", "spelling", ""),
    ("Herat", "04"): ("AFG-295", "Karukh", "spelling", ""),
    ("Herat", "05"): ("AFG-134", "Zanda Jan", "spelling", ""),
    ("Herat", "07"): ("AFG-320", "Koshk", "spelling", ""),
    ("Herat", "10"): ("AFG-328", "Koshki Kohna", "spelling", ""),
    ("Herat", "15"): ("AFG-266", "Farsi", "spelling", ""),
    ("Farah", "02"): ("AFG-273", "Pusht Rod", "spelling", ""),
    ("Farah", "04"): ("AFG-267", "Qala Ka", "spelling", ""),
    ("Farah", "09"): ("AFG-015", "Lash Wa Juwayn", "spelling", ""),
    ("Nimroz", "03"): ("AFG-258", "Chakhansur", "spelling", ""),
    ("Nimroz", "04"): ("AFG-105", "Chahar Burjak", "spelling", ""),
}

# Temporary districts (the CSO stars them: "... District is temporary"). The 2014 map draws none
# of them, so each is added to the district it was cut from. (CSO province, row) -> (parent id,
# parent gazetteer name, note), or None where no source read here names the parent.
TEMPORARY = {
    ("Laghman", "06*"): ("AFG-333", "Mihtarlam", "Bad Pash cut from Mihtarlam; " + PARENT_NOTE),
    ("Panjsher", "08*"): ("AFG-274", "Dara", "Abshar cut from Dara; " + PARENT_NOTE),
    ("Paktya", "12*"): ("AFG-227", "Laja Ahmad Khail", "Laja Mangal cut from Laja Ahmad Khel; " + PARENT_NOTE),
    ("Paktya", "13*"): ("AFG-245", "Sayed Karam", "Mirzaka cut from Sayyid Karam; " + PARENT_NOTE),
    ("Urozgan", "07*"): ("AFG-088", "Chora", "Chinarto cut from Chora; " + PARENT_NOTE),
    ("Kandahar", "17*"): ("AFG-115", "Kandahar", "Dand cut from the Kandahar centre district; " + PARENT_NOTE),
    ("Kandahar", "18*"): ("AFG-036", "Spin Boldak", "Takhta Pul cut from Spin Boldak; " + PARENT_NOTE),
    ("Helmand", "14*"): ("AFG-372", "Nad Ali", "Marja cut from Nad Ali; " + PARENT_NOTE),
    ("Nimroz", "06 *"): ("AFG-208", "Khash Rod", "Dularam cut from Khash Rod; " + PARENT_NOTE),
    ("Daykundi", "09*"): None,
}
UNASSIGNED_NOTE = {
    ("Daykundi", "09*"): ("temporary district Patoo (Pato); it was moved from Uruzgan to Daykundi and no "
                          "source read here says which 2014 district it was cut from; its people are in "
                          "no district (Daykundi's district sum is short by this row)"),
}

# ---------------------------------------------------------------------------------------------
# Shia presence: coarse levels, every one an assumption from general references, never a share.
# 1 = Shia (Twelver or Ismaili) majority; 0.5 = large Shia minority or a major concentrated Shia
# community; 0.25 = a notable Shia minority or Shia quarter; 0 = none coded (not a measured absence).
# ---------------------------------------------------------------------------------------------

HAZARAJAT = "Hazara (Twelver Shia) area of the Hazarajat; Wikipedia 'Hazarajat' and 'Hazaras'"
SHIA = {
    # Bamyan
    "AFG-212": (1, "Bamyan; " + HAZARAJAT), "AFG-051": (1, "Yakawlang; " + HAZARAJAT),
    "AFG-113": (1, "Waras; " + HAZARAJAT), "AFG-332": (1, "Panjab; " + HAZARAJAT),
    "AFG-370": (1, "Shibar; " + HAZARAJAT),
    "AFG-239": (0.5, "Sayghan; mixed Tajik and Hazara; Wikipedia 'Sayghan District'"),
    "AFG-124": (0.25, "Kahmard; Hazara minority; Wikipedia 'Kahmard District'"),
    # Daykundi
    "AFG-271": (1, "Nili; " + HAZARAJAT), "AFG-030": (1, "Shahristan; " + HAZARAJAT),
    "AFG-327": (1, "Ishtarlay; " + HAZARAJAT), "AFG-336": (1, "Khadir; " + HAZARAJAT),
    "AFG-253": (1, "Kiti; " + HAZARAJAT), "AFG-397": (1, "Miramor; " + HAZARAJAT),
    "AFG-343": (1, "Sang-i-Takht; " + HAZARAJAT),
    "AFG-012": (0.5, "Kajran; mixed Hazara and Pashtun; Wikipedia 'Kajran District'"),
    "AFG-302": (0.25, "Gizab; Pashtun majority with Hazara villages; Wikipedia 'Daykundi Province'"),
    # Ghazni
    "AFG-138": (1, "Jaghori; " + HAZARAJAT), "AFG-191": (1, "Malistan; " + HAZARAJAT),
    "AFG-371": (1, "Nawur; " + HAZARAJAT),
    "AFG-132": (0.5, "Qarabagh; mixed Pashtun and Hazara; Wikipedia 'Qarabagh District; Ghazni'"),
    "AFG-161": (0.5, "Jaghatu (Ghazni); mixed with Hazara villages; Wikipedia 'Jaghatu District; Ghazni'"),
    "AFG-363": (0.5, "Khwaja Umari; Hazara and Tajik; Wikipedia 'Khwaja Umari District'"),
    "AFG-247": (0.25, "Ghazni city; Hazara quarters; Wikipedia 'Ghazni'"),
    # Wardak
    "AFG-126": (1, "Behsud I; " + HAZARAJAT), "AFG-223": (1, "Markazi Behsud; " + HAZARAJAT),
    "AFG-379": (0.5, "Day Mirdad; mixed Hazara and Pashtun; Wikipedia 'Day Mirdad District'"),
    # Uruzgan
    "AFG-110": (0.5, "Khas Uruzgan; Hazara and Pashtun; Wikipedia 'Khas Uruzgan District'"),
    # Ghor
    "AFG-096": (1, "Lal wa Sarjangal; " + HAZARAJAT),
    # Parwan
    "AFG-276": (1, "Shaikh Ali; Hazara district of Parwan; Wikipedia 'Shekh Ali District'"),
    "AFG-293": (1, "Surkh-o-Parsa; Hazara district of Parwan; Wikipedia 'Surkhi Parsa District'"),
    # Baghlan
    "AFG-185": (0.5, "Tala wa Barfak; Hazara communities; Wikipedia 'Tala wa Barfak District'"),
    "AFG-078": (0.25, "Dushi; Hazara communities; Wikipedia 'Dushi District'"),
    "AFG-104": (0.25, "Pul-i-Khumri; Ismaili (Sayed Kayan) and Hazara communities; Wikipedia 'Pul-e Khomri'"),
    # Balkh / Samangan / Sar-e Pul
    "AFG-264": (0.5, "Mazar-i-Sharif; large Hazara (Shia) community; Wikipedia 'Mazar-i-Sharif'"),
    "AFG-331": (0.5, "Chahar Kint; Hazara communities; Wikipedia 'Chahar Kint District'"),
    "AFG-194": (0.5, "Sholgara; Hazara communities; Wikipedia 'Sholgara District'"),
    "AFG-309": (0.5, "Dara-i-Suf Bala; Hazara communities; Wikipedia 'Dara-i-Suf District'"),
    "AFG-041": (0.5, "Dara-i-Suf Payin; Hazara communities; Wikipedia 'Dara-i-Suf District'"),
    "AFG-281": (1, "Balkhab; Hazara district; Wikipedia 'Balkhab District'"),
    "AFG-117": (0.5, "Sangcharak; Hazara communities; Wikipedia 'Sancharak District'"),
    "AFG-213": (0.25, "Kohistanat; Hazara and Aimaq communities; Wikipedia 'Kohistanat District'"),
    # Cities
    "AFG-187": (0.5, "Kabul city; large Hazara (Shia) quarters (Dasht-e-Barchi; Karte Sakhi); "
                     "Wikipedia 'Dasht-e-Barchi'"),
    "AFG-182": (0.25, "Herat city; Shia quarter Jebrael; Wikipedia 'Jebrael'"),
    # Badakhshan: Ismaili (Shia) communities
    "AFG-377": (1, "Shighnan; Ismaili (Shia) Pamiri majority; Wikipedia 'Shighnan District'"),
    "AFG-358": (1, "Wakhan; Ismaili (Shia) Wakhi majority; Wikipedia 'Wakhan'"),
    "AFG-278": (1, "Ishkashim; Ismaili (Shia) majority; Wikipedia 'Ishkashim District'"),
    "AFG-226": (0.5, "Zebak; Ismaili (Shia) communities; Wikipedia 'Zebak District'"),
    "AFG-172": (0.5, "Kuran wa Munjan; Ismaili (Shia) Munji communities; Wikipedia 'Kuran wa Munjan District'"),
    # Pakistan
    "PAK15-051": (0.5, "Kurram Agency; Turi and Bangash Shia (Parachinar; Upper Kurram Shia majority); "
                       "Wikipedia 'Kurram District' and 'Turi (Pashtun tribe)'"),
    "PAK15-054": (0.25, "Orakzai Agency; Shia minority in parts; Wikipedia 'Orakzai District'"),
    "PAK15-071": (0.5, "Hangu; large Shia Bangash community and sectarian conflict; Wikipedia 'Hangu District'"),
    "PAK15-074": (0.25, "Kohat; Shia Bangash minority; Wikipedia 'Kohat District'"),
    "PAK15-070": (0.25, "Dera Ismail Khan; notable Shia minority; Wikipedia 'Dera Ismail Khan'"),
    "PAK15-082": (0.25, "Peshawar; Shia communities (Qissa Khwani; Kocha Risaldar mosque); Wikipedia 'Peshawar'"),
    "PAK15-069": (0.25, "Chitral; Ismaili (Shia) minority in upper Chitral; Wikipedia 'Chitral District'"),
    "PAK15-036": (0.5, "Quetta; Hazara (Shia) community of Hazara Town and Mari Abad; Wikipedia 'Hazara Town'"),
    "PAK15-062": (1, "Skardu (Baltistan); Twelver Shia Balti majority; Wikipedia 'Gilgit-Baltistan' (religion)"),
    "PAK15-058": (1, "Ghanche; Shia and Noorbakhshi majority; Wikipedia 'Ghanche District'"),
    "PAK15-061": (1, "Hunza-Nagar; Nagar Twelver Shia and Hunza Ismaili; Wikipedia 'Gilgit-Baltistan' (religion)"),
    "PAK15-059": (1, "Ghizer; Ismaili (Shia) majority; Wikipedia 'Ghizer District'"),
    "PAK15-060": (0.5, "Gilgit; mixed Twelver Shia; Ismaili and Sunni; Wikipedia 'Gilgit'"),
    "PAK15-056": (0.25, "Astore; Sunni majority with a Shia minority; Wikipedia 'Astore District'"),
    "PAK15-132": (0.25, "Karachi; large Shia minority and sectarian attacks; Wikipedia 'Shia Islam in Pakistan'"),
    "PAK15-100": (0.25, "Jhang; notable Shia community and sectarian history; Wikipedia 'Jhang District'"),
}
SHIA_NONE = ("assumption: no concentrated Shia community in the references used; 0 means not coded as "
             "present and is not a measured absence")

# ---------------------------------------------------------------------------------------------


def fail(msg):
    sys.stderr.write(f"build_covariates: {msg}\n")
    sys.exit(2)


def norm(name):
    return re.sub(r"[^a-z]", "", name.lower())


def thousands(cell):
    """A CSO cell in thousands as whole persons; '__' and blank are 0 (the table's dash)."""
    cell = cell.strip()
    if cell in ("", "__"):
        return 0
    if not re.fullmatch(r"\d+(\.\d)?", cell):
        fail(f"unexpected CSO cell '{cell}'")
    whole, _, tenth = cell.partition(".")
    return int(whole) * 1000 + int(tenth or 0) * 100  # exact, no float rounding


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_cso(path):
    """Province blocks: {province: {"total": [9 ints], "rows": [(no, name, [9 ints])]}}, in file order."""
    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    blocks, order, province = {}, [], None
    for r in records:
        if len(r) != 37:
            fail(f"{path}: a record with {len(r)} fields (expected 37)")
        label = r[10].strip()
        if label.endswith(("Province", "Provicne")):  # the Jawzjan block spells it "Provicne"
            province = label.split()[0]
            if province not in CSO_PROVINCE:
                fail(f"unknown CSO province '{province}'")
            if province not in blocks:
                blocks[province] = {"total": None, "rows": []}
                order.append(province)
            continue
        if not re.match(r"^[\d_]", r[0].strip()):
            continue  # headers, blank lines, "... is temporary" notes
        name = " ".join(r[9].split())
        figures = [thousands(c) for c in r[0:9]]
        if name == "Total":
            blocks[province]["total"] = figures
        else:
            blocks[province]["rows"].append((r[11].strip(), name, figures))
    return order, blocks


def check_cso(order, blocks, report):
    """Each row's sexes and areas add up; each province's rows make its Total row (to rounding)."""
    problems = 0
    for p in order:
        b = blocks[p]
        if b["total"] is None:
            fail(f"CSO province {p} has no Total row")
        for no, name, f in b["rows"] + [("Total", "Total", b["total"])]:
            for i in range(3):  # female + male = both, within each area (figures rounded to 100)
                if abs(f[3 * i] + f[3 * i + 1] - f[3 * i + 2]) > 100:
                    report.append(f"  CSO {p} {no} {name}: area {i} sexes do not add up")
                    problems += 1
            for j in range(3):  # rural + urban = total, for each sex
                if abs(f[j] + f[3 + j] - f[6 + j]) > 100:
                    report.append(f"  CSO {p} {no} {name}: rural + urban != total")
                    problems += 1
        sums = [sum(f[i] for _, _, f in b["rows"]) for i in range(9)]
        diff = sums[8] - b["total"][8]
        tolerance = 50 * len(b["rows"])  # each row is rounded to 100 persons
        if abs(diff) > tolerance:
            report.append(f"  CSO {p}: districts sum to {sums[8]:,}, Total row {b['total'][8]:,} "
                          f"(difference {diff:+,}, beyond rounding)")
            problems += 1
    return problems


def gazetteer_index(afg):
    by_id = {r["district_id"]: r for r in afg}
    by_prov_name = {}
    for r in afg:
        by_prov_name.setdefault((r["admin1_province"], norm(r["district_name"])), []).append(r["district_id"])
    return by_id, by_prov_name


def crosswalk(order, blocks, afg):
    by_id, by_prov_name = gazetteer_index(afg)
    out = []  # dicts, one per CSO row
    used = {}
    for p in order:
        gp = CSO_PROVINCE[p]
        for no, name, f in blocks[p]["rows"]:
            key = (p, no)
            row = {"source_province": p, "source_no": no, "source_district": name,
                   "source_population": f[8], "source_urban_population": f[5],
                   "district_id": "", "district_name": "", "gazetteer_province": "",
                   "match_method": "", "note": ""}
            if "*" in no:
                if key not in TEMPORARY:
                    fail(f"temporary CSO row {p} {no} {name} has no parent entry")
                parent = TEMPORARY[key]
                if parent is None:
                    row["match_method"] = "unmatched"
                    row["note"] = UNASSIGNED_NOTE[key]
                else:
                    did, gname, note = parent
                    row.update(district_id=did, match_method="merged", note=note)
                    expect = gname
            elif key in NAMED:
                did, expect, method, note = NAMED[key]
                row.update(district_id=did, match_method=method, note=note)
            else:
                centre = re.search(r"[Cc]enter ?\((.*)\)", name)
                hits = by_prov_name.get((gp, norm(centre.group(1) if centre else name)), [])
                if len(hits) != 1:
                    fail(f"CSO {p} {no} '{name}': {len(hits)} gazetteer districts of that name in {gp}; "
                         "add an entry to NAMED")
                row.update(district_id=hits[0], match_method="exact",
                           note=("provincial centre; the town in parentheses has the gazetteer's name"
                                 if centre else "same name (ignoring case; spaces and punctuation)"))
                expect = by_id[hits[0]]["district_name"]
            did = row["district_id"]
            if did:
                g = by_id.get(did)
                if g is None or g["district_name"] != expect:
                    fail(f"CSO {p} {no} '{name}' -> {did}: gazetteer has "
                         f"'{g['district_name'] if g else None}', the table says '{expect}'")
                row["district_name"] = g["district_name"]
                row["gazetteer_province"] = g["admin1_province"]
                if row["match_method"] != "merged":
                    if did in used:
                        fail(f"{did} claimed by two CSO rows: {used[did]} and {p} {no}")
                    used[did] = f"{p} {no}"
            out.append(row)
    for key in list(NAMED) + [k for k, v in TEMPORARY.items() if v]:
        if not any((r["source_province"], r["source_no"]) == key for r in out):
            fail(f"table entry {key} matches no CSO row")
    return out


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def point_in_ring(lon, lat, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def district_of_point(features, lat, lon):
    hits = []
    for feat in features:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            if point_in_ring(lon, lat, poly[0]) and not any(point_in_ring(lon, lat, h) for h in poly[1:]):
                hits.append(feat["properties"]["district_id"])
                break
    return hits


def fmt_share(x):
    return f"{x:.4f}"


def build(data):
    report = []
    gaz = data / "gazetteer"
    afg = read_csv(gaz / "afg_districts.csv")
    pak = read_csv(gaz / "pak_districts_2015.csv")
    ocha = read_csv(gaz / "pak_districts_2022_ocha.csv")
    units = afg + pak
    ids = [r["district_id"] for r in units]
    if len(set(ids)) != len(ids):
        fail("duplicate ids in the gazetteers")

    # --- Afghanistan: CSO rows -> districts
    order, blocks = read_cso(data / "covariates" / "sources" / CSO_FILE)
    n_rows = sum(len(blocks[p]["rows"]) for p in order)
    report.append(f"CSO 2013-14 table: {len(order)} provinces, {n_rows} district rows")
    problems = check_cso(order, blocks, report)
    report.append(f"  arithmetic checks: {problems} problem(s)")
    xwalk = crosswalk(order, blocks, afg)
    pop, urban = {}, {}
    for r in xwalk:
        if r["district_id"]:
            pop[r["district_id"]] = pop.get(r["district_id"], 0) + r["source_population"]
            urban[r["district_id"]] = urban.get(r["district_id"], 0) + r["source_urban_population"]
    methods = {}
    for r in xwalk:
        methods[r["match_method"]] = methods.get(r["match_method"], 0) + 1
    report.append("  crosswalk: " + ", ".join(f"{k} {v}" for k, v in sorted(methods.items())))
    missing = [r["district_id"] for r in afg if r["district_id"] not in pop]
    report.append(f"  Afghan districts with a population: {len(pop)} of {len(afg)}"
                  + (f" (none for {', '.join(missing)})" if missing else ""))

    # Province totals: the CSO's own Total rows against the districts assigned from that province.
    national_total = sum(blocks[p]["total"][8] for p in order)
    assigned = sum(pop.values())
    report.append(f"  CSO settled total (sum of the 34 Total rows): {national_total:,}; "
                  f"assigned to districts: {assigned:,} (difference {assigned - national_total:+,})")
    report.append("  per CSO province: Total row | rows assigned to districts | difference")
    for p in order:
        tot = blocks[p]["total"][8]
        got = sum(r["source_population"] for r in xwalk if r["source_province"] == p and r["district_id"])
        report.append(f"    {p:<11} {tot:>10,} {got:>10,} {got - tot:>+8,}")
    report.append("  per gazetteer province (districts as the map places them) vs the CSO Total row:")
    by_gp = {}
    for r in afg:
        if r["district_id"] in pop:
            by_gp[r["admin1_province"]] = by_gp.get(r["admin1_province"], 0) + pop[r["district_id"]]
    for p in order:
        gp = CSO_PROVINCE[p]
        tot = blocks[p]["total"][8]
        moved = [f"{r['district_id']} {r['district_name']}" for r in xwalk
                 if r["district_id"] and (r["source_province"] == p) != (r["gazetteer_province"] == gp)]
        report.append(f"    {gp:<11} {by_gp.get(gp, 0):>10,} vs {tot:>10,} {by_gp.get(gp, 0) - tot:>+9,}"
                      + (f"  (across provinces: {'; '.join(moved)})" if moved else ""))

    # --- Pakistan: the OCHA 2017-census attribute summed over the 2015 units, as the loader does
    psum, complete = {}, {}
    for r in ocha:
        t = r["pak15_district_id"]
        complete.setdefault(t, True)
        if r["population_attr"].strip():
            psum[t] = psum.get(t, 0) + int(float(r["population_attr"]))
        else:
            complete[t] = False
    pak_pop = {t: v for t, v in psum.items() if complete.get(t)}
    report.append(f"Pakistan: {len(pak_pop)} of {len(pak)} units with a 2017-census population (OCHA crosswalk)")

    # --- cities
    cities = read_csv(data / "covariates" / "major_cities.csv")
    gj = json.loads((gaz / "afpak_districts_2015.geojson").read_text(encoding="utf-8"))
    by_id = {r["district_id"]: r for r in units}
    for c in cities:
        lat, lon = float(c["lat"]), float(c["lon"])
        if c["district_id"] not in by_id:
            fail(f"city {c['city']}: unknown district {c['district_id']}")
        hits = district_of_point(gj["features"], lat, lon)
        if hits != [c["district_id"]]:
            fail(f"city {c['city']} ({lat} {lon}) lies in {hits or 'no polygon'}, not {c['district_id']}")
        d = haversine_km(lat, lon, float(by_id[c["district_id"]]["centroid_lat"]),
                         float(by_id[c["district_id"]]["centroid_lon"]))
        report.append(f"  city {c['city']:<15} in {c['district_id']:<10} {by_id[c['district_id']]['district_name']:<16}"
                      f" {d:6.1f} km from that district's centroid")

    # --- rows
    for did in SHIA:
        if did not in by_id:
            fail(f"Shia table: unknown district {did}")
    rows = []
    for r in units:
        did = r["district_id"]
        lat, lon = float(r["centroid_lat"]), float(r["centroid_lon"])
        best = min(cities, key=lambda c: (haversine_km(lat, lon, float(c["lat"]), float(c["lon"])), c["city"]))
        dist = haversine_km(lat, lon, float(best["lat"]), float(best["lon"]))
        if did.startswith("AFG-"):
            has = did in pop
            p = str(pop[did]) if has else ""
            year, src = (CSO_YEAR, CSO_SOURCE) if has else ("", "")
            share = fmt_share(urban[did] / pop[did]) if has and pop[did] > 0 else ""
            usrc = CSO_URBAN_SOURCE if share else ""
        else:
            has = did in pak_pop
            p = str(pak_pop[did]) if has else ""
            year, src = ("2017", "2017 census via the OCHA crosswalk (pak_districts_2022_ocha.csv population_attr "
                                 "summed over pak15_district_id)") if has else ("", "")
            share, usrc = "", ""
        level, basis = SHIA.get(did, (0, None))
        rows.append({
            "district_id": did, "population": p, "population_year": year, "population_source": src,
            "urban_share": share, "urban_source": usrc, "nearest_city": best["city"],
            "distance_to_city_km": f"{dist:.1f}",
            "shia_presence": ("1" if level == 1 else "0" if level == 0 else str(level)),
            "shia_source": f"assumption: {basis}" if basis else SHIA_NONE,
        })
    for row in rows:
        for k, v in row.items():
            if "," in v or '"' in v or "\n" in v:
                fail(f"{row['district_id']} {k}: text must not contain commas or quotes: {v}")
    return rows, xwalk, report


COVARIATE_COLUMNS = ["district_id", "population", "population_year", "population_source", "urban_share",
                     "urban_source", "nearest_city", "distance_to_city_km", "shia_presence", "shia_source"]
CROSSWALK_COLUMNS = ["source_province", "source_no", "source_district", "source_population",
                     "source_urban_population", "district_id", "district_name", "gazetteer_province",
                     "match_method", "note"]


def render(rows, columns):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in columns})
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "data"))
    ap.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = ap.parse_args()
    data = Path(args.data)
    rows, xwalk, report = build(data)
    outputs = {data / "covariates" / "district_covariates.csv": render(rows, COVARIATE_COLUMNS),
               data / "covariates" / "afg_population_crosswalk.csv": render(xwalk, CROSSWALK_COLUMNS)}
    print("\n".join(report))
    stale = 0
    for path, text in outputs.items():
        if args.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{path}: {'up to date' if same else 'DIFFERS'}")
            stale += not same
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    sys.exit(1 if stale else 0)


if __name__ == "__main__":
    main()
