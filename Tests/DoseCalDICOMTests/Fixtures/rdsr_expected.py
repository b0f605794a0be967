#!/usr/bin/env python3
"""Expected values for the DoseCalDICOM corpus tests, computed independently with pydicom.

Usage (from the repository root):

    python3 -m venv /tmp/dicomvenv && /tmp/dicomvenv/bin/pip install pydicom
    /tmp/dicomvenv/bin/python Tests/DoseCalDICOMTests/Fixtures/rdsr_expected.py \
        ../shared/datasets/external/rdsr Tests/DoseCalDICOMTests/Fixtures

It writes `rdsr-expected.json` (one entry per shared dose report) and
`synthetic-deflated.dcm` (a small dose report of our own, written by pydicom in the Deflated
Explicit VR Little Endian transfer syntax, so the Swift inflater is checked against zlib).

The DICOM parsing here is pydicom's; only the reading rules are shared with the Swift reader
(they are the documented rules of `RDSRReport`):

* dose SR classes: 1.2.840.10008.5.1.4.1.1.88.67 and .88.76 (title 113701 DCM required);
  any other SOP class is skipped;
* accumulated values from the root-level 113702 DCM containers, one per acquisition plane
  (113764 DCM: 113620 A, 113621 B, 113622 single); events from root-level 113706 DCM containers;
* codes are matched on (code value, coding scheme designator), never on meaning;
* units converted from the UCUM code value (scheme UCUM, or the GE typo UCM): see UNITS;
* started_at = StudyDate + StudyTime, 'YYYY-MM-DDTHH:MM:SS' (fractions dropped);
* model/station/manufacturer from the header, else from the root-level Device Observer items
  (121015, 121013, 121014);
* requested procedure = RequestedProcedureDescription, else PerformedProcedureStepDescription;
* procedure totals = sums over planes (planes in the order A, B, single).
"""

import json
import os
import sys

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import DeflatedExplicitVRLittleEndian

DOSE_SR = {"1.2.840.10008.5.1.4.1.1.88.67", "1.2.840.10008.5.1.4.1.1.88.76"}

KAP = {"Gy.m2": 1e4, "Gym2": 1e4, "dGy.m2": 1e3, "cGy.m2": 1e2, "mGy.m2": 10.0,
       "uGy.m2": 1e-2, "Gy.dm2": 1e2, "Gy.cm2": 1.0, "dGy.cm2": 0.1, "cGy.cm2": 0.01,
       "mGy.cm2": 1e-3, "uGy.cm2": 1e-6}
DOSE = {"Gy": 1.0, "dGy": 0.1, "cGy": 0.01, "mGy": 1e-3, "uGy": 1e-6}
TIME = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "min": 60.0, "h": 3600.0}

PLANES = {"113620": "A", "113621": "B", "113622": "single"}
PLANE_ORDER = ["A", "B", "single", "unspecified"]


def code(item, seq="ConceptNameCodeSequence"):
    s = item.get(seq)
    if not s:
        return None
    c = s[0]
    return (str(c.get("CodeValue", "")), str(c.get("CodingSchemeDesignator", "")))


def num(item, table):
    """Value of a NUM item converted with `table`, or None when empty."""
    mv = item.get("MeasuredValueSequence")
    if not mv:
        return None
    m = mv[0]
    text = m.get("NumericValue")
    if text is None:
        return None
    value = float(str(text).strip())
    u = m.MeasurementUnitsCodeSequence[0]
    assert str(u.CodingSchemeDesignator) in ("UCUM", "UCM"), u
    return value * table[str(u.CodeValue)]


def text_or_code(item):
    if item.ValueType == "TEXT":
        return str(item.get("TextValue", "")).strip() or None
    if item.ValueType == "CODE":
        return str(item.ConceptCodeSequence[0].CodeMeaning).strip()
    return None


def header(ds, keyword):
    v = ds.get(keyword)
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def started_at(ds):
    d = header(ds, "StudyDate")
    t = header(ds, "StudyTime") or ""
    t = t.split(".")[0]
    out = f"{d[0:4]}-{d[4:6]}-{d[6:8]}"
    if t:
        t = (t + "0000")[:6]
        out += f"T{t[0:2]}:{t[2:4]}:{t[4:6]}"
    return out


ACC_KEYS = {"113722": ("kap_total_gycm2", KAP), "113726": ("kap_fluoro_gycm2", KAP),
            "113727": ("kap_acq_gycm2", KAP), "113730": ("fluoro_time_s", TIME),
            "113855": ("acq_time_s", TIME), "113725": ("dose_rp_total_gy", DOSE),
            "113728": ("dose_rp_fluoro_gy", DOSE), "113729": ("dose_rp_acq_gy", DOSE)}


def plane_of(container):
    for child in container.get("ContentSequence", []):
        if code(child) == ("113764", "DCM"):
            return PLANES[code(child, "ConceptCodeSequence")[0]]
    return "unspecified"


def read(path):
    ds = pydicom.dcmread(path)
    name = os.path.basename(path)
    entry = {"file": name, "sop_class_uid": str(ds.SOPClassUID),
             "transfer_syntax_uid": str(ds.file_meta.TransferSyntaxUID)}
    if str(ds.SOPClassUID) not in DOSE_SR:
        entry["status"] = "skipped"
        return entry
    assert code(ds) == ("113701", "DCM")
    entry["status"] = "report"
    root = ds.ContentSequence
    observer = {}
    for item in root:
        c = code(item)
        if c and c[1] == "DCM" and c[0] in ("121013", "121014", "121015") and item.ValueType == "TEXT":
            observer[c[0]] = str(item.TextValue).strip() or None
    entry.update({
        "study_uid": header(ds, "StudyInstanceUID"),
        "started_at": started_at(ds),
        "manufacturer": header(ds, "Manufacturer") or observer.get("121014"),
        "model": header(ds, "ManufacturerModelName") or observer.get("121015"),
        "station": header(ds, "StationName") or observer.get("121013"),
        "study_description": header(ds, "StudyDescription"),
        "requested_procedure": header(ds, "RequestedProcedureDescription")
        or header(ds, "PerformedProcedureStepDescription"),
    })
    planes = {}
    for item in root:
        if item.ValueType != "CONTAINER" or code(item) != ("113702", "DCM"):
            continue
        p = {"plane": plane_of(item), "reference_point": None}
        for k, _ in ACC_KEYS.values():
            p[k] = None
        for child in item.get("ContentSequence", []):
            c = code(child)
            if c is None or c[1] != "DCM":
                continue
            if c[0] in ACC_KEYS and child.ValueType == "NUM":
                key, table = ACC_KEYS[c[0]]
                p[key] = num(child, table)
            elif c[0] == "113780":
                p["reference_point"] = text_or_code(child)
        assert p["plane"] not in planes
        planes[p["plane"]] = p
    events = {}
    sums = {}
    for item in root:
        if item.ValueType != "CONTAINER" or code(item) != ("113706", "DCM"):
            continue
        plane = plane_of(item)
        uid = None
        dap = None
        dose = None
        for child in item.get("ContentSequence", []):
            c = code(child)
            if c == ("113769", "DCM"):
                uid = str(child.UID)
            elif c == ("122130", "DCM"):
                dap = num(child, KAP)
            elif c == ("113738", "DCM"):
                dose = num(child, DOSE)
        assert uid and uid not in events
        events[uid] = plane
        s = sums.setdefault(plane, {"plane": plane, "events": 0, "kap_gycm2": 0.0, "dose_rp_gy": 0.0})
        s["events"] += 1
        s["kap_gycm2"] += dap or 0.0
        s["dose_rp_gy"] += dose or 0.0
    ordered = [planes[k] for k in PLANE_ORDER if k in planes]
    entry["planes"] = ordered

    def total(key):
        vals = [p[key] for p in ordered]
        if not vals or any(v is None for v in vals):
            return None
        t = 0.0
        for v in vals:
            t += v
        return t

    for key in ("kap_total_gycm2", "kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s",
                "acq_time_s", "dose_rp_total_gy"):
        entry[key] = total(key)
    entry["events"] = len(events)
    entry["event_uids"] = sorted(events)
    entry["event_sums"] = [sums[k] for k in PLANE_ORDER if k in sums]
    return entry


def code_item(value, scheme, meaning):
    c = Dataset()
    c.CodeValue = value
    c.CodingSchemeDesignator = scheme
    c.CodeMeaning = meaning
    return c


def content(rel, vt, concept, **kw):
    it = Dataset()
    it.RelationshipType = rel
    it.ValueType = vt
    it.ConceptNameCodeSequence = Sequence([code_item(*concept)])
    if vt == "NUM":
        mv = Dataset()
        mv.NumericValue = kw["value"]
        mv.MeasurementUnitsCodeSequence = Sequence([code_item(kw["unit"], "UCUM", kw["unit"])])
        it.MeasuredValueSequence = Sequence([mv])
    elif vt == "CODE":
        it.ConceptCodeSequence = Sequence([code_item(*kw["code"])])
    elif vt == "UIDREF":
        it.UID = kw["uid"]
    elif vt == "TEXT":
        it.TextValue = kw["text"]
    if "children" in kw:
        it.ContentSequence = Sequence(kw["children"])
    return it


def write_deflated(path):
    """A small single-plane dose report of our own, deflated; values also returned."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.88.67"
    ds.SOPInstanceUID = "2.25.1001"
    ds.StudyDate = "20240315"
    ds.StudyTime = "093007.25"
    ds.Modality = "SR"
    ds.Manufacturer = "DoseCal Test Systems"
    ds.StationName = "Hemodinámica 2"
    ds.StudyDescription = "Drenaje biliar"
    ds.ManufacturerModelName = "Deflator 1"
    ds.StudyInstanceUID = "2.25.1002"
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([code_item("113701", "DCM", "X-Ray Radiation Dose Report")])
    plane = ("113764", "DCM", "Acquisition Plane")
    single = ("113622", "DCM", "Single Plane")
    acc = content("CONTAINS", "CONTAINER", ("113702", "DCM", "Accumulated X-Ray Dose Data"), children=[
        content("HAS CONCEPT MOD", "CODE", plane, code=single),
        content("CONTAINS", "NUM", ("113722", "DCM", "Dose Area Product Total"), value="0.0012345", unit="Gy.m2"),
        content("CONTAINS", "NUM", ("113726", "DCM", "Fluoro Dose Area Product Total"), value="0.0002345", unit="Gy.m2"),
        content("CONTAINS", "NUM", ("113727", "DCM", "Acquisition Dose Area Product Total"), value="0.001", unit="Gy.m2"),
        content("CONTAINS", "NUM", ("113730", "DCM", "Total Fluoro Time"), value="3.5", unit="min"),
        content("CONTAINS", "NUM", ("113855", "DCM", "Total Acquisition Time"), value="12500", unit="ms"),
        content("CONTAINS", "NUM", ("113725", "DCM", "Dose (RP) Total"), value="45.5", unit="mGy"),
        content("CONTAINS", "TEXT", ("113780", "DCM", "Reference Point Definition"), text="15 cm from isocentre"),
    ])
    events = []
    for i, (dap, kind) in enumerate([("0.0002345", ("P5-06000", "SRT", "Fluoroscopy")),
                                      ("0.001", ("113611", "DCM", "Stationary Acquisition"))]):
        events.append(content("CONTAINS", "CONTAINER", ("113706", "DCM", "Irradiation Event X-Ray Data"), children=[
            content("HAS CONCEPT MOD", "CODE", plane, code=single),
            content("CONTAINS", "CODE", ("113721", "DCM", "Irradiation Event Type"), code=kind),
            content("CONTAINS", "UIDREF", ("113769", "DCM", "Irradiation Event UID"), uid=f"2.25.200{i}"),
            content("CONTAINS", "NUM", ("122130", "DCM", "Dose Area Product"), value=dap, unit="Gy.m2"),
        ]))
    ds.ContentSequence = Sequence([acc] + events)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    ds.file_meta = meta
    ds.preamble = b"\0" * 128
    pydicom.dcmwrite(path, ds, enforce_file_format=True)
    return read(path)


def main():
    folder, out = sys.argv[1], sys.argv[2]
    entries = [read(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n.endswith(".dcm")]
    doc = {"generator": f"rdsr_expected.py with pydicom {pydicom.__version__}", "files": entries}
    with open(os.path.join(out, "rdsr-expected.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    synthetic = write_deflated(os.path.join(out, "synthetic-deflated.dcm"))
    with open(os.path.join(out, "synthetic-deflated.json"), "w") as f:
        json.dump(synthetic, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
