"""On a local Dask cluster, the partitioned computations give the single-process results.

The cluster (two worker processes, one thread each) starts once for the module. The
properties of the cut itself run on small drawn Books without dask.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import dask as acd
from aftersales_crm import features, membership, synthetic
from aftersales_crm.care import Planner
from aftersales_crm.dask import NETWORK_TABLES, split
from aftersales_crm.dask._fits import dkw_bound, kept_fitted, prefitted, relative
from aftersales_crm.dask._merge import merge_agendas, merge_features
from aftersales_crm.dask._partition import components, merge_rows, part_of_rows, text_hash
from aftersales_crm.errors import ConvergenceError, InvalidType, InvalidValue
from aftersales_crm.features import FeatureTable, MileageModel
from aftersales_crm.policies import BUILT_INS, Labels, Reads, get_policy, policy_kind
from aftersales_crm.records import ColumnKind
from aftersales_crm.segmentation import ParetoABC, QuantileTiers
from aftersales_crm.tables import Tables
from aftersales_crm.testing.strategies import books

distributed = pytest.importorskip("distributed")

AS_OF = dt.date(2026, 6, 30)
AT = dt.datetime(2026, 6, 30, 23, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with cluster, distributed.Client(cluster) as made:
        yield made


@pytest.fixture(scope="module")
def tables() -> Tables:
    return synthetic.tables(3_000, seed=17)


@pytest.fixture(scope="module")
def single(tables: Tables) -> FeatureTable:
    return features.compute(tables, as_of=AS_OF)


@pytest.fixture(scope="module")
def parts(client: Any, tables: Tables) -> acd.PartitionedTables:
    return acd.from_tables(tables, npartitions=4)


@pytest.fixture(scope="module")
def feats(parts: acd.PartitionedTables) -> acd.PartitionedFeatures:
    return acd.features(parts, as_of=AS_OF)


def _same_table(a: FeatureTable, b: FeatureTable) -> None:
    assert a.ids.tolist() == b.ids.tolist()
    assert list(a.columns) == list(b.columns)
    for name, column in b.columns.items():
        assert np.array_equal(a[name], column, equal_nan=column.dtype.kind in "fmM"), name


# -- on the cluster ---------------------------------------------------------------------------


def test_features_on_the_cluster_equal_the_single_process_features(
    feats: acd.PartitionedFeatures, single: FeatureTable
) -> None:
    whole = feats.compute()
    _same_table(whole, single)
    assert whole.vehicles is not None
    assert single.vehicles is not None
    _same_table(whole.vehicles, single.vehicles)


def test_parts_checked_again_give_the_same_features(
    client: Any, tables: Tables, single: FeatureTable
) -> None:
    checked = acd.from_tables(tables, npartitions=3, checked=True)
    _same_table(acd.features(checked, as_of=AS_OF).compute(), single)


FEATURE_POLICIES = sorted(
    name for name in BUILT_INS if policy_kind(get_policy(name).kind).reads is Reads.FEATURES
)


@pytest.mark.parametrize("name", FEATURE_POLICIES)
def test_every_built_in_policy_fits_and_assigns_as_in_one_process(
    name: str, feats: acd.PartitionedFeatures, single: FeatureTable
) -> None:
    policy = get_policy(name)
    spec = policy_kind(policy.kind)
    try:
        expected = spec.run(spec.fit(policy, single), single)
    except ConvergenceError as err:  # this base does not identify the model: nor do the parts
        with pytest.raises(ConvergenceError, match=str(err).split(":")[0]):
            acd.fit(policy, feats)
        return
    got = acd.assign(acd.fit(policy, feats), feats)
    assert type(got) is type(expected)
    assert got == expected
    assert np.array_equal(got.ids, expected.ids)


def test_a_fit_reading_the_table_whole_gathers_it_whole(
    feats: acd.PartitionedFeatures, single: FeatureTable
) -> None:
    class Everything(ParetoABC):
        def _fit(self, features: FeatureTable) -> None:
            assert len(list(features)) > 1  # iterates over the columns: the whole table
            super()._fit(features)

    got = acd.fit(Everything(), feats)
    assert got.cutoffs_ == ParetoABC().fit(single).cutoffs_


def test_a_fit_asking_for_columns_the_part_did_not_show_gets_them(
    feats: acd.PartitionedFeatures, single: FeatureTable
) -> None:
    class Late(QuantileTiers):
        def _fit(self, features: FeatureTable) -> None:
            if len(features) > 2_000:  # only the whole base asks for the visits too
                assert features["visits"].sum() > 0
            super()._fit(features)

    assert acd.fit(Late(), feats).cutoffs_ == QuantileTiers().fit(single).cutoffs_


def test_a_sampled_fit_misplaces_no_more_customers_than_the_dkw_bound(
    feats: acd.PartitionedFeatures, single: FeatureTable
) -> None:
    fraction = 0.5
    sampled = acd.fit(QuantileTiers(), feats, sample=fraction)
    exact = QuantileTiers().fit(single)
    m = int((text_hash(single.ids) < np.uint64(int(fraction * 2.0**64))).sum())
    bound = dkw_bound(m, delta=1e-6)
    moved = np.mean(sampled.assign(single).codes != exact.assign(single).codes)
    # each of the two cut-offs moves at most `bound` of the customers across it
    assert moved <= 2 * bound
    assert 0 < m < len(single)


def test_the_agenda_on_the_cluster_equals_the_single_process_agenda(
    parts: acd.PartitionedTables, tables: Tables, single: FeatureTable
) -> None:
    start, end = dt.date(2026, 6, 1), dt.date(2026, 7, 31)
    got = acd.agenda(Planner(), parts, start=start, end=end, as_of=AS_OF)
    expected = Planner().agenda(tables, start=start, end=end, as_of=AS_OF)
    assert len(got) > 1_000
    assert got == expected  # every task, its status, order and reasons
    # The test is worth something only if some vehicles take the whole base's medians,
    # which no part alone would give them.
    assert single.vehicles is not None
    fallback = single.vehicles["km_per_day_method"] != 0  # a model median, or the default
    assert fallback.any()


def test_the_agenda_given_the_features_and_a_km_per_day_model_is_exact(
    parts: acd.PartitionedTables, tables: Tables, feats: acd.PartitionedFeatures
) -> None:
    # fitted on another network: its model medians differ from this base's
    model = MileageModel().fit(synthetic.tables(300, seed=11), as_of=AS_OF)
    planner = Planner(mileage=model)
    start, end = dt.date(2026, 6, 1), dt.date(2026, 7, 31)
    got = acd.agenda(planner, parts, start=start, end=end, as_of=AS_OF, features=feats)
    assert got == planner.agenda(tables, start=start, end=end, as_of=AS_OF)
    assert got != Planner().agenda(tables, start=start, end=end, as_of=AS_OF)  # the model counts


def test_the_agenda_without_the_mileage_fallback_is_exact(
    parts: acd.PartitionedTables, tables: Tables, feats: acd.PartitionedFeatures
) -> None:
    from aftersales_crm.care import FestivalGreetings, FollowUpCalls, OwnerBirthday, WinBack

    planner = Planner(
        rules=[FollowUpCalls(), OwnerBirthday(), FestivalGreetings(), WinBack(hand_over=False)]
    )
    start, end = dt.date(2026, 6, 1), dt.date(2026, 7, 31)
    got = acd.agenda(planner, parts, start=start, end=end, as_of=AS_OF, features=feats)
    assert got == planner.agenda(tables, start=start, end=end, as_of=AS_OF)
    assert "win_back" in got.counts()


def test_club_balances_on_the_cluster_equal_the_single_process_balances(client: Any) -> None:
    whole = Tables.from_book(synthetic.book(400, seed=5))
    got = acd.balances(acd.from_tables(whole, npartitions=3), as_of=AT)
    expected = membership.balances(whole, as_of=AT)
    assert len(got) == len(expected) > 50
    for name in ("member_id", "balance", "available", "pending", "earned", "expiring"):
        assert np.array_equal(getattr(got, name), getattr(expected, name)), name
    assert np.array_equal(got.liability, expected.liability)


def test_the_parts_come_back_as_parts(parts: acd.PartitionedTables, tables: Tables) -> None:
    got = parts.compute()
    assert [p.index for p in got] == list(range(parts.npartitions))
    assert sum(len(p) for p in got) == len(tables.customers)


# -- the cut, without dask --------------------------------------------------------------------


def _split_names(tables: Tables) -> list[str]:
    return [t.name for t in tables if t.name not in NETWORK_TABLES]


@settings(max_examples=30)
@given(book=books(max_customers=6), n=st.integers(1, 4), checked=st.booleans())
def test_the_parts_hold_every_row_once_and_the_network_everywhere(
    book: Any, n: int, checked: bool
) -> None:
    whole = Tables.from_book(book)
    cut = split(whole, n, checked=checked)
    outside = whole.to_arrays()
    assert len(cut) == n
    for name in _split_names(whole):
        rows = np.sort(np.concatenate([p.rows[name] for p in cut]))
        assert rows.tolist() == list(range(len(whole[name])))
        for part in cut:
            mine = part.tables.to_arrays()[name]
            for column, values in outside[name].items():
                np.testing.assert_array_equal(mine[column], values[part.rows[name]])
    for name in NETWORK_TABLES:
        assert all(p.tables[name] == whole[name] for p in cut)


@settings(max_examples=30)
@given(book=books(max_customers=6), n=st.integers(1, 4))
def test_every_reference_stays_inside_its_part(book: Any, n: int) -> None:
    whole = Tables.from_book(book)
    part = part_of_rows(whole, n)
    for name in _split_names(whole):
        for column in whole[name].schema.columns:
            if column.kind is ColumnKind.REF and column.target in part:
                refs = whole[name][column.name]
                there = refs >= 0
                assert (part[name][there] == part[column.target][refs[there]]).all()


@settings(max_examples=20)
@given(book=books(max_customers=6), n=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_a_customers_part_does_not_depend_on_the_order_of_the_customers(
    book: Any, n: int, seed: int
) -> None:
    whole = Tables.from_book(book)
    arrays = whole.to_arrays()
    order = np.random.default_rng(seed).permutation(len(whole.customers))
    arrays["customers"] = {k: v[order] for k, v in arrays["customers"].items()}
    shuffled = Tables.from_arrays(currency=whole.currency, **arrays)
    before = dict(
        zip(
            whole.customers["id"].tolist(),
            part_of_rows(whole, n)["customers"].tolist(),
            strict=True,
        )
    )
    after = dict(
        zip(
            shuffled.customers["id"].tolist(),
            part_of_rows(shuffled, n)["customers"].tolist(),
            strict=True,
        )
    )
    assert before == after


def test_a_shared_vehicle_and_a_referral_put_customers_together() -> None:
    whole = Tables.from_book(synthetic.book(200, seed=3))
    comp = components(whole)
    owner = whole.ownerships["customer"]
    vehicle = whole.ownerships["vehicle"]
    assert (comp["ownerships"] == comp["customers"][owner]).all()
    assert (comp["vehicles"][vehicle] == comp["customers"][owner]).all()
    ref = whole.referrals
    assert len(ref)
    assert (comp["referrals"] == comp["customers"][ref["referrer"]]).all()
    named = ref["referred_customer"] >= 0
    assert (
        comp["customers"][ref["referrer"][named]]
        == comp["customers"][ref["referred_customer"][named]]
    ).all()
    members = whole.members
    by = members["referred_by"] >= 0
    assert (comp["members"][by] == comp["members"][members["referred_by"][by]]).all()


def test_features_of_the_parts_join_into_the_whole_features() -> None:
    whole = synthetic.tables(300, seed=2)
    cut = split(whole, 3)
    model = MileageModel().fit(whole, as_of=AS_OF)
    per = [features.compute(p.tables, as_of=AS_OF, mileage=model) for p in cut]
    joined = merge_features(per, [p.rows for p in cut])
    expected = features.compute(whole, as_of=AS_OF)
    _same_table(joined, expected)
    assert joined.vehicles is not None
    assert expected.vehicles is not None
    _same_table(joined.vehicles, expected.vehicles)
    plain = merge_features([attrs_without_vehicles(f) for f in per], [p.rows for p in cut])
    assert plain.vehicles is None


def attrs_without_vehicles(table: FeatureTable) -> FeatureTable:
    import attrs

    return attrs.evolve(table, vehicles=None)


def test_empty_parts_are_parts_too() -> None:
    whole = synthetic.tables(3, seed=1)
    cut = split(whole, 8)
    assert sum(len(p) for p in cut) == 3
    assert any(len(p) == 0 for p in cut)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: split(t, 0), "the number of parts is 0"),
        (lambda t: split(t, True), "the number of parts is True"),
        (lambda t: split(t, 2, network=("dealers", "garages")), "network tables ['garages']"),
        (lambda t: split("tables", 2), "expected a Tables"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_cut_is_refused_with_a_message(call: Any, message: str) -> None:
    with pytest.raises((InvalidValue, InvalidType), match=None) as caught:
        call(synthetic.tables(5, seed=1))
    assert message in str(caught.value)


def test_joining_needs_results_of_one_kind_that_agree() -> None:
    a = Labels(np.array([0]), ("x", "y"), ids=np.array(["C0"]))
    b = Labels(np.array([0]), ("x", "z"), ids=np.array(["C1"]))
    with pytest.raises(InvalidValue, match="differs between the parts"):
        merge_rows([a, b], [np.array([0]), np.array([1])])
    with pytest.raises(InvalidValue, match="at least one"):
        merge_rows([], [])
    with pytest.raises(InvalidValue, match="one attrs class"):
        merge_rows([a, "b"], [np.array([0]), np.array([1])])
    with pytest.raises(InvalidValue, match="at least one"):
        merge_agendas([])
    with pytest.raises(InvalidValue, match="at least one"):
        merge_features([], [])


def test_agendas_of_other_days_are_not_joined() -> None:
    whole = synthetic.tables(20, seed=1)
    planner = Planner(rules=[])
    one = planner.agenda(whole, on=AS_OF)
    other = planner.agenda(whole, on=AS_OF + dt.timedelta(days=1))
    with pytest.raises(InvalidValue, match="different days"):
        merge_agendas([one, other])
    assert len(merge_agendas([one, one])) == 0


def test_relative_and_prefitted_walk_the_policies() -> None:
    assert not relative(object())
    assert not relative(Planner())
    assert prefitted(Planner(rules=[]), lambda p: p).rules == []
    with pytest.raises(InvalidValue, match="no instance dictionary"):
        kept_fitted(1)


def test_dkw_bound_refuses_a_sample_of_nothing() -> None:
    with pytest.raises(InvalidValue, match="sample size"):
        dkw_bound(0)
    with pytest.raises(InvalidValue, match="delta"):
        dkw_bound(10, delta=1.5)


def test_bad_arguments_name_what_is_wrong(feats: acd.PartitionedFeatures) -> None:
    with pytest.raises(InvalidValue, match="sample is 2"):
        acd.fit(ParetoABC(), feats, sample=2)
    with pytest.raises(InvalidType, match="expected PartitionedTables"):
        acd.features("tables", as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="expected PartitionedFeatures"):
        acd.agenda(Planner(), acd.from_tables(synthetic.tables(5, seed=1), 1), AS_OF, features=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="checked is 1"):
        acd.from_tables(synthetic.tables(5, seed=1), 1, checked=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="expected a MileageModel"):
        acd.features(acd.from_tables(synthetic.tables(5, seed=1), 1), AS_OF, mileage="fast")


def test_importing_the_package_imports_no_dask() -> None:
    import subprocess

    code = "import sys, aftersales_crm.dask; print('dask' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from aftersales_crm.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(MissingDependencyError, match=r"aftersales-crm\[dask\]"):
        acd.from_tables(synthetic.tables(5, seed=1), 1)
