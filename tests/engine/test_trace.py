from pamong.engine.simulate import simulate


def test_trace_names_parameters_with_reference_and_date(case):
    trace = simulate(case, trace=True)["trace"]
    line = trace["gaji.iuran_taspen"]
    assert line["result"] == 299774
    assert line["inputs"]["dasar"] == 3287000 + 328700 + 131480
    (taspen,) = line["params"]
    assert taspen["name"] == "iuran/taspen"
    assert taspen["value"] == 800
    assert taspen["since"] == "2024-01-01"
    assert taspen["reference"] and taspen["reference"][0]["title"].startswith("PP 25/1981")


def test_trace_of_table_lookup_gives_the_cell_used(case):
    trace = simulate(case, trace=True)["trace"]
    gp = trace["gaji.gaji_pokok"]
    assert [p["name"] for p in gp["params"]] == ["gaji/pokok_pns"]  # no PPPK table, no CPNS percentage
    assert gp["params"][0]["value"] == gp["result"] == 3287000
    pph = trace["tpp.pph21"]
    used = {p["name"]: p for p in pph["params"]}
    assert used["pph21/ter_kategori"]["value"] == "B"
    assert used["pph21/ter_bulanan"]["value"] == 100  # 1 % in basis points
    assert used["pph21/ter_bulanan"]["reference"][0]["href"]
    assert used["kebijakan.pph21_tpp_method"]["source"] == "kasus"
    assert pph["inputs"]["bruto_pph21_total"] == 7505741


def test_trace_results_equal_the_slip_lines(case):
    out = simulate(case, trace=True)
    for slip in ("gaji", "tpp"):
        for code, amount in out[slip]["lines"].items():
            assert out["trace"][f"{slip}.{code}"]["result"] == amount, code
    for code, amount in out["pemberi_kerja"].items():
        assert out["trace"][f"pemberi_kerja.{code}"]["result"] == amount


def test_no_trace_unless_asked(case):
    assert "trace" not in simulate(case)
