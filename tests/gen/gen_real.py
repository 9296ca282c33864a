#!/usr/bin/env python3
"""Saves real objects through the ML ecosystem's own save paths: tests/fixtures/real/<library>/ and MANIFEST.tsv.

Every file here is written by the library itself (pickle.dump, joblib.dump with each compressor, torch.save in the
zip and legacy formats, torch.jit.save, save_pretrained, to_pickle, gensim's save, Booster pickles, Lightning
checkpoints, torch distributed checkpoints, ...). They are what a scanner meets in the wild; mlsc must call each
of them clean. Models are shrunk (a few units per layer, a few rows) so the fixtures stay small; nothing is
downloaded: models are built from configs with random weights.

Usage (from the repository root):
    python3 -m venv tests/gen/.venv-real
    tests/gen/.venv-real/bin/pip install -r tests/gen/requirements-real.txt
    PYTHONHASHSEED=0 tests/gen/.venv-real/bin/python tests/gen/gen_real.py

A library that is not importable is skipped and named on stderr; MANIFEST.tsv lists file, library, version and the
save call. Files over 1 MB are refused (the fixture set is committed).
"""

import contextlib
import io
import os
import pathlib
import pickle
import random
import shutil
import sys
import tempfile
import traceback
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("WANDB_DISABLED", "true")

ROOT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
MAX_FILE = 1 << 20
ROWS = []
SKIPPED = []


def version(mod):
    import importlib.metadata as md

    try:
        return md.version(mod)
    except Exception:  # noqa: BLE001 - a module without distribution metadata
        return "?"


def out(lib, name):
    p = ROOT / lib / name
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def record(lib, dist, name, call):
    p = ROOT / lib / name
    size = p.stat().st_size
    if size > MAX_FILE:
        p.unlink()
        SKIPPED.append(f"{lib}/{name}: {size} bytes is over the 1 MB fixture limit")
        return
    ROWS.append((f"{lib}/{name}", lib, f"{dist}=={version(dist)}", call))


def dump(lib, dist, name, obj, protocol=None, call=None):
    p = out(lib, name)
    with open(p, "wb") as f:
        pickle.dump(obj, f, protocol=protocol)
    record(lib, dist, name, call or f"pickle.dump({type(obj).__module__}.{type(obj).__qualname__}, protocol={protocol})")


def jdump(lib, dist, name, obj, compress=0):
    import joblib

    p = out(lib, name)
    joblib.dump(obj, p, compress=compress)
    record(lib, dist, name, f"joblib.dump({type(obj).__qualname__}, compress={compress!r})")


def copy_in(lib, dist, src, name, call):
    shutil.copyfile(src, out(lib, name))
    record(lib, dist, name, call)


def seed():
    random.seed(0)
    try:
        import numpy as np

        np.random.seed(0)
    except ImportError:
        pass
    try:
        import torch

        torch.manual_seed(0)
    except Exception:  # noqa: BLE001 - torch absent or half-installed
        pass


# ----- python and numpy ------------------------------------------------------------------------------------------
def python_stdlib():
    import collections
    import datetime
    import decimal
    import fractions
    import uuid
    import zoneinfo

    obj = {
        "od": collections.OrderedDict(a=1),
        "dd": collections.defaultdict(list, {"x": [1]}),
        "dq": collections.deque([1, 2]),
        "ctr": collections.Counter("abca"),
        "dt": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
        "utc": datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc),
        "td": datetime.timedelta(days=2),
        "dec": decimal.Decimal("1.25"),
        "frac": fractions.Fraction(1, 3),
        "uuid": uuid.UUID(int=7),
        "set": {1, 2},
        "fs": frozenset({3}),
        "bytes": b"\x00\x01",
        "range": range(3),
        "slice": slice(1, 2),
        "complex": 1 + 2j,
    }
    for proto in range(0, 6):
        dump("python", "pip", f"stdlib_types_p{proto}.pkl", obj, protocol=proto,
             call=f"pickle.dump(dict of stdlib types, protocol={proto})")


def numpy_files():
    import numpy as np

    rng = np.random.default_rng(0)
    obj = {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "i64": np.arange(4),
        "bool": np.array([True, False]),
        "str": np.array(["a", "bc"]),
        "dt64": np.array(["2026-01-01"], dtype="datetime64[D]"),
        "struct": np.zeros(2, dtype=[("x", "<f4"), ("y", "<i2")]),
        "masked": np.ma.masked_array([1, 2, 3], mask=[0, 1, 0]),
        "scalar": np.float64(1.5),
        "int_scalar": np.int32(3),
        "obj": np.array([{"a": 1}, None], dtype=object),
        "rng": rng,
        "rs": np.random.RandomState(0),
        "seq": np.random.SeedSequence(1),
        "dtype": np.dtype("f8"),
    }
    for proto in (2, 4, 5):
        dump("numpy", "numpy", f"arrays_p{proto}.pkl", obj, protocol=proto)
    p = out("numpy", "object_array.npy")
    np.save(p, np.array([{"k": [1, 2]}, "x"], dtype=object), allow_pickle=True)
    record("numpy", "numpy", "object_array.npy", "numpy.save(object array, allow_pickle=True)")


# ----- pandas ------------------------------------------------------------------------------------------------------
def pandas_frame():
    import numpy as np
    import pandas as pd

    n = 4
    return pd.DataFrame(
        {
            "i": np.arange(n),
            "f": np.linspace(0, 1, n),
            "s": ["a", "b", "c", "d"],
            "tz": pd.date_range("2026-01-01", periods=n, tz="Europe/Paris"),
            "tz_utc": pd.date_range("2026-01-01", periods=n, tz="UTC"),
            "naive": pd.date_range("2026-01-01", periods=n),
            "td": pd.to_timedelta(np.arange(n), unit="s"),
            "cat": pd.Categorical(["x", "y", "x", "z"]),
            "Int64": pd.array([1, None, 3, 4], dtype="Int64"),
            "boolean": pd.array([True, None, False, True], dtype="boolean"),
            "Float64": pd.array([1.0, None, 2.0, 3.0], dtype="Float64"),
            "string": pd.array(["a", None, "c", "d"], dtype="string"),
            "period": pd.period_range("2026-01", periods=n, freq="M"),
            "interval": pd.IntervalIndex.from_breaks(range(n + 1)),
            "sparse": pd.arrays.SparseArray([0, 0, 1, 0]),
        }
    )


def pandas_files():
    import numpy as np
    import pandas as pd

    df = pandas_frame()
    for comp, ext in ((None, "pkl"), ("gzip", "pkl.gz"), ("bz2", "pkl.bz2"), ("xz", "pkl.xz")):
        name = f"frame.{ext}"
        df.to_pickle(out("pandas", name), compression=comp)
        record("pandas", "pandas", name, f"DataFrame.to_pickle(compression={comp!r}) with tz-aware and extension columns")
    for proto in (2, 4):
        name = f"frame_p{proto}.pkl"
        df.to_pickle(out("pandas", name), protocol=proto)
        record("pandas", "pandas", name, f"DataFrame.to_pickle(protocol={proto})")
    mi = pd.DataFrame(
        {"v": [1.0, 2.0, 3.0, 4.0]},
        index=pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["k", "n"]),
    )
    mi.to_pickle(out("pandas", "multiindex.pkl"))
    record("pandas", "pandas", "multiindex.pkl", "DataFrame.to_pickle with a MultiIndex")
    s = pd.Series(np.arange(3), index=pd.Index(["a", "b", "c"], name="k"), name="v")
    s.to_pickle(out("pandas", "series.pkl"))
    record("pandas", "pandas", "series.pkl", "Series.to_pickle")
    ts = pd.Series([1, 2, 3], index=pd.date_range("2026-01-01", periods=3, freq="D", tz="Asia/Tokyo"))
    ts.to_pickle(out("pandas", "series_tz_index.pkl"))
    record("pandas", "pandas", "series_tz_index.pkl", "Series.to_pickle with a tz-aware DatetimeIndex")
    dump("pandas", "pandas", "objects.pkl", {
        "ts": pd.Timestamp("2026-01-01", tz="US/Eastern"),
        "td": pd.Timedelta("1 day"),
        "period": pd.Period("2026-01", freq="M"),
        "interval": pd.Interval(0, 1),
        "offset": pd.offsets.MonthEnd(2),
        "cat_dtype": pd.CategoricalDtype(["a", "b"]),
        "nat": pd.NaT,
        "na": pd.NA,
        "ri": pd.RangeIndex(5),
    }, protocol=5, call="pickle.dump(dict of pandas scalars, dtypes and a RangeIndex, protocol=5)")


# ----- scikit-learn and friends ------------------------------------------------------------------------------------
def sklearn_estimators():
    import numpy as np
    from sklearn import (cluster, compose, decomposition, dummy, ensemble, feature_extraction, impute,
                         linear_model, mixture, model_selection, naive_bayes, neighbors, neural_network, pipeline,
                         preprocessing, svm, tree)
    from sklearn.datasets import make_classification, make_regression
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = make_classification(n_samples=40, n_features=4, n_informative=2, random_state=0)
    Xr, yr = make_regression(n_samples=40, n_features=4, random_state=0)
    fitted = []

    def fit(name, est, Xa=X, ya=y):
        est.fit(Xa, ya) if ya is not None else est.fit(Xa)
        fitted.append((name, est))

    fit("function_transformer", preprocessing.FunctionTransformer(np.log1p), np.abs(X), None)
    fit("gaussian_mixture", mixture.GaussianMixture(n_components=2, random_state=0), X, None)
    fit("bayesian_gaussian_mixture", mixture.BayesianGaussianMixture(n_components=2, random_state=0, max_iter=20), X, None)
    fit("mlp_classifier", neural_network.MLPClassifier(hidden_layer_sizes=(3,), max_iter=20, random_state=0))
    fit("mlp_regressor_sgd", neural_network.MLPRegressor(hidden_layer_sizes=(3,), solver="sgd", max_iter=20, random_state=0), Xr, yr)
    fit("grid_search_cv", model_selection.GridSearchCV(linear_model.LogisticRegression(), {"C": [0.1, 1.0]}, cv=3))
    fit("randomized_search_cv", model_selection.RandomizedSearchCV(tree.DecisionTreeClassifier(), {"max_depth": [1, 2]}, n_iter=2, cv=3, random_state=0))
    fit("logistic_regression", linear_model.LogisticRegression())
    fit("random_forest", ensemble.RandomForestClassifier(n_estimators=3, max_depth=2, random_state=0))
    fit("gradient_boosting", ensemble.GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=0))
    fit("hist_gradient_boosting", ensemble.HistGradientBoostingRegressor(max_iter=3), Xr, yr)
    fit("svc", svm.SVC(probability=False))
    fit("kmeans", cluster.KMeans(n_clusters=2, n_init=1, random_state=0), X, None)
    fit("pca", decomposition.PCA(n_components=2), X, None)
    fit("knn", neighbors.KNeighborsClassifier(n_neighbors=3))
    fit("gaussian_nb", naive_bayes.GaussianNB())
    fit("dummy", dummy.DummyClassifier())
    fit("sgd", linear_model.SGDClassifier(max_iter=5, random_state=0))
    fit("ridge", linear_model.Ridge(), Xr, yr)
    fit("isolation_forest", ensemble.IsolationForest(n_estimators=3, random_state=0), X, None)
    fit("pipeline", pipeline.make_pipeline(impute.SimpleImputer(), preprocessing.StandardScaler(), linear_model.LogisticRegression()))
    fit("voting", ensemble.VotingClassifier([("lr", linear_model.LogisticRegression()), ("nb", naive_bayes.GaussianNB())]))
    fit("stacking", ensemble.StackingClassifier([("lr", linear_model.LogisticRegression())], final_estimator=naive_bayes.GaussianNB(), cv=3))
    fit("bagging", ensemble.BaggingClassifier(n_estimators=2, random_state=0))
    fit("adaboost", ensemble.AdaBoostClassifier(n_estimators=2, random_state=0))
    fit("calibrated", __import__("sklearn.calibration", fromlist=["x"]).CalibratedClassifierCV(linear_model.LogisticRegression(), cv=3))
    fit("quantile_transformer", preprocessing.QuantileTransformer(n_quantiles=10), X, None)
    fit("power_transformer", preprocessing.PowerTransformer(), X, None)
    fit("kbins", preprocessing.KBinsDiscretizer(n_bins=2, encode="ordinal"), X, None)
    fit("spline", preprocessing.SplineTransformer(n_knots=3), X, None)
    fit("tsne_free_nmf", decomposition.NMF(n_components=2, max_iter=20, random_state=0), np.abs(X), None)
    fit("lda", __import__("sklearn.discriminant_analysis", fromlist=["x"]).LinearDiscriminantAnalysis())
    fit("gpr", __import__("sklearn.gaussian_process", fromlist=["x"]).GaussianProcessRegressor(), Xr[:10], yr[:10])
    fit("isotonic", __import__("sklearn.isotonic", fromlist=["x"]).IsotonicRegression(), Xr[:, 0], yr)
    fit("kernel_ridge", __import__("sklearn.kernel_ridge", fromlist=["x"]).KernelRidge(), Xr, yr)
    fit("one_class_svm", svm.OneClassSVM(), X, None)
    fit("lof", neighbors.LocalOutlierFactor(novelty=True, n_neighbors=5), X, None)
    fit("kde", neighbors.KernelDensity(), X, None)
    fit("nearest_centroid", neighbors.NearestCentroid())
    fit("label_spreading", __import__("sklearn.semi_supervised", fromlist=["x"]).LabelSpreading())
    fit("birch", cluster.Birch(n_clusters=2), X, None)
    fit("agglomerative", cluster.AgglomerativeClustering(n_clusters=2), X, None)
    fit("truncated_svd", decomposition.TruncatedSVD(n_components=2), X, None)
    fit("feature_selection", pipeline.make_pipeline(
        __import__("sklearn.feature_selection", fromlist=["x"]).SelectKBest(k=2), linear_model.LogisticRegression()))
    fit("rfe", __import__("sklearn.feature_selection", fromlist=["x"]).RFE(linear_model.LogisticRegression(), n_features_to_select=2))
    text = ["the cat sat", "the dog ran", "a cat ran", "a dog sat"] * 5
    fit("tfidf", feature_extraction.text.TfidfVectorizer(), text, None)
    fit("count_vectorizer", feature_extraction.text.CountVectorizer(ngram_range=(1, 2)), text, None)
    fit("hashing", feature_extraction.text.HashingVectorizer(n_features=16), text, None)
    import pandas as pd

    df = pd.DataFrame({"num": np.arange(20.0), "cat": ["a", "b"] * 10})
    fit("column_transformer", compose.make_column_transformer(
        (preprocessing.OneHotEncoder(handle_unknown="ignore"), ["cat"]),
        (preprocessing.StandardScaler(), ["num"])), df, None)
    fit("target_encoder", preprocessing.TargetEncoder(), df[["cat"]], np.arange(20) % 2)
    # HistGradientBoosting with categorical features pickles partial(check_array, ...) in its preprocessor.
    Xc = pd.DataFrame({"c": pd.Categorical(["a", "b", "c", "a"] * 10), "x": np.arange(40.0)})
    fit("hist_gradient_boosting_categorical", HistGradientBoostingClassifier(max_iter=3, categorical_features="from_dtype"), Xc, y)
    fit("transformed_target", compose.TransformedTargetRegressor(regressor=linear_model.LinearRegression(), func=np.log1p, inverse_func=np.expm1), np.abs(Xr), np.abs(yr))
    ds = __import__("sklearn.datasets", fromlist=["x"])
    bunch = ds.load_iris()
    bunch = ds._base.Bunch(data=bunch.data[:5], target=bunch.target[:5], feature_names=bunch.feature_names)
    dump("sklearn", "scikit-learn", "bunch.pkl", bunch, protocol=5, call="pickle.dump(sklearn.utils.Bunch)")
    for name, est in fitted:
        dump("sklearn", "scikit-learn", f"{name}.pkl", est, protocol=5)
    # joblib, with every compressor it offers
    est = dict(fitted)["random_forest"]
    for comp in (0, 3, ("zlib", 3), ("gzip", 3), ("bz2", 3), ("lzma", 3), ("xz", 3), ("lz4", 3)):
        tag = comp if isinstance(comp, int) else comp[0]
        try:
            jdump("sklearn", "scikit-learn", f"random_forest_joblib_{tag}.joblib", est, compress=comp)
        except Exception as e:  # noqa: BLE001 - lz4 may be missing
            SKIPPED.append(f"joblib compress={comp}: {e}")
    jdump("sklearn", "scikit-learn", "pipeline.joblib", dict(fitted)["pipeline"])
    jdump("sklearn", "scikit-learn", "hist_gradient_boosting_categorical.joblib", dict(fitted)["hist_gradient_boosting_categorical"])


def joblib_files():
    import numpy as np

    data = {"weights": np.arange(64, dtype=np.float64).reshape(8, 8), "names": ["a", "b"], "obj": np.array([1, "x"], dtype=object)}
    for comp in (0, ("zlib", 1), ("gzip", 1), ("bz2", 1), ("lzma", 1), ("xz", 1), ("lz4", 1)):
        tag = "none" if comp == 0 else comp[0]
        jdump("joblib", "joblib", f"arrays_{tag}.joblib", data, compress=comp)


def scipy_files():
    import numpy as np
    from scipy import sparse, spatial, stats, interpolate

    m = sparse.random(6, 5, density=0.3, random_state=0, format="csr")
    obj = {
        "csr": m, "csc": m.tocsc(), "coo": m.tocoo(), "lil": m.tolil(), "dok": m.todok(), "bsr": m.tobsr(),
        "dia": sparse.diags([1.0, 2.0, 3.0]), "csr_array": sparse.csr_array(m),
        "kdtree": spatial.KDTree(np.arange(10.0).reshape(5, 2)),
        "ckdtree": spatial.cKDTree(np.arange(10.0).reshape(5, 2)),
        "rotation": spatial.transform.Rotation.from_euler("z", 30, degrees=True),
        "interp": interpolate.interp1d([0, 1, 2], [0, 1, 4]),
    }
    for proto in (2, 5):
        dump("scipy", "scipy", f"sparse_spatial_p{proto}.pkl", obj, protocol=proto)
    dump("scipy", "scipy", "frozen_norm.pkl", stats.norm(loc=1, scale=2), protocol=5)
    sparse.save_npz(out("scipy", "matrix.npz"), m)
    record("scipy", "scipy", "matrix.npz", "scipy.sparse.save_npz")


def statsmodels_files():
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=30), "g": ["a", "b", "c"] * 10})
    df["y"] = 2 * df["x"] + rng.normal(size=30)
    df["b"] = (df["y"] > 0).astype(int)
    res = smf.ols("y ~ x + C(g)", data=df).fit()
    res.save(str(out("statsmodels", "ols_formula.pickle")))
    record("statsmodels", "statsmodels", "ols_formula.pickle", "OLSResults.save (formula API)")
    res = sm.OLS(df["y"], sm.add_constant(df["x"])).fit()
    res.save(str(out("statsmodels", "ols.pickle")), remove_data=True)
    record("statsmodels", "statsmodels", "ols.pickle", "OLSResults.save(remove_data=True)")
    res = sm.Logit(df["b"], sm.add_constant(df["x"])).fit(disp=0)
    res.save(str(out("statsmodels", "logit.pickle")))
    record("statsmodels", "statsmodels", "logit.pickle", "LogitResults.save")
    res = sm.GLM(df["b"], sm.add_constant(df["x"]), family=sm.families.Binomial()).fit()
    res.save(str(out("statsmodels", "glm.pickle")))
    record("statsmodels", "statsmodels", "glm.pickle", "GLMResults.save")
    ts = pd.Series(np.cumsum(rng.normal(size=24)), index=pd.date_range("2026-01-01", periods=24, freq="MS"))
    res = ARIMA(ts, order=(1, 0, 0)).fit()
    res.save(str(out("statsmodels", "arima.pickle")))
    record("statsmodels", "statsmodels", "arima.pickle", "ARIMAResults.save")
    res = ExponentialSmoothing(ts + 10, trend="add").fit()
    res.save(str(out("statsmodels", "holtwinters.pickle")))
    record("statsmodels", "statsmodels", "holtwinters.pickle", "HoltWintersResults.save")


def gensim_files():
    from gensim.corpora import Dictionary
    from gensim.models import FastText, Word2Vec

    sents = [["the", "cat", "sat"], ["the", "dog", "ran"], ["a", "cat", "ran"]] * 5
    w2v = Word2Vec(sents, vector_size=4, min_count=1, epochs=1, seed=0, workers=1)
    w2v.save(str(out("gensim", "word2vec.model")))
    record("gensim", "gensim", "word2vec.model", "Word2Vec.save")
    w2v.wv.save(str(out("gensim", "vectors.kv")))
    record("gensim", "gensim", "vectors.kv", "KeyedVectors.save")
    ft = FastText(sents, vector_size=4, min_count=1, epochs=1, seed=0, workers=1, bucket=16)
    ft.save(str(out("gensim", "fasttext.model")))
    record("gensim", "gensim", "fasttext.model", "FastText.save (bucket=16)")
    d = Dictionary(sents)
    d.save(str(out("gensim", "dictionary.dict")))
    record("gensim", "gensim", "dictionary.dict", "corpora.Dictionary.save")


def boosters():
    import numpy as np
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=40, n_features=4, random_state=0)
    try:
        import xgboost as xgb

        b = xgb.train({"max_depth": 2, "objective": "binary:logistic"}, xgb.DMatrix(X, label=y), num_boost_round=2)
        dump("xgboost", "xgboost", "booster.pkl", b, protocol=5)
        c = xgb.XGBClassifier(n_estimators=2, max_depth=2).fit(X, y)
        dump("xgboost", "xgboost", "xgbclassifier.pkl", c, protocol=5)
        jdump("xgboost", "xgboost", "xgbclassifier.joblib", c)
    except ImportError as e:
        SKIPPED.append(f"xgboost: {e}")
    try:
        import lightgbm as lgb

        b = lgb.train({"num_leaves": 3, "verbose": -1, "objective": "binary"}, lgb.Dataset(X, label=y), num_boost_round=2)
        dump("lightgbm", "lightgbm", "booster.pkl", b, protocol=5)
        c = lgb.LGBMClassifier(n_estimators=2, num_leaves=3, verbose=-1).fit(X, y)
        dump("lightgbm", "lightgbm", "lgbmclassifier.pkl", c, protocol=5)
        jdump("lightgbm", "lightgbm", "lgbmclassifier.joblib", c)
    except ImportError as e:
        SKIPPED.append(f"lightgbm: {e}")
    try:
        import catboost

        with tempfile.TemporaryDirectory() as td:
            c = catboost.CatBoostClassifier(iterations=2, depth=2, verbose=False, train_dir=td, allow_writing_files=False)
            c.fit(X, y)
        dump("catboost", "catboost", "catboostclassifier.pkl", c, protocol=5)
        jdump("catboost", "catboost", "catboostclassifier.joblib", c)
    except ImportError as e:
        SKIPPED.append(f"catboost: {e}")


def misc_data_libraries():
    import numpy as np

    with contextlib.suppress(ImportError):
        import pyarrow as pa

        t = pa.table({"a": [1, 2], "b": ["x", None], "ts": pa.array([0, 1], pa.timestamp("ms", tz="UTC"))})
        dump("pyarrow", "pyarrow", "table.pkl", {"table": t, "schema": t.schema, "array": pa.array([1.0, None]),
                                                 "chunked": t.column("a"), "batch": t.to_batches()[0]}, protocol=5,
             call="pickle.dump(pyarrow Table, Schema, Array, ChunkedArray, RecordBatch)")
    with contextlib.suppress(ImportError):
        import polars as pl

        dump("polars", "polars", "frame.pkl", {"df": pl.DataFrame({"a": [1, 2], "b": ["x", "y"]}), "s": pl.Series("s", [1.0])},
             protocol=5, call="pickle.dump(polars DataFrame and Series)")
    with contextlib.suppress(ImportError):
        import pandas as pd
        import xarray as xr

        da = xr.DataArray(np.arange(6.0).reshape(2, 3), dims=("x", "t"),
                          coords={"t": pd.date_range("2026-01-01", periods=3)}, name="v", attrs={"units": "m"})
        dump("xarray", "xarray", "dataset.pkl", {"da": da, "ds": da.to_dataset()}, protocol=5,
             call="pickle.dump(xarray DataArray and Dataset)")
    with contextlib.suppress(ImportError):
        import networkx as nx

        g = nx.karate_club_graph()
        dump("networkx", "networkx", "graphs.pkl", {"g": g, "dg": nx.DiGraph([(1, 2)]), "mg": nx.MultiGraph([(1, 2), (1, 2)])},
             protocol=5, call="pickle.dump(networkx Graph, DiGraph, MultiGraph)")
    with contextlib.suppress(ImportError):
        import sympy

        x, y = sympy.symbols("x y")
        dump("sympy", "sympy", "expressions.pkl", {"e": sympy.sin(x) ** 2 + sympy.Rational(1, 3) * y,
                                                   "m": sympy.Matrix([[1, x], [y, 2]])}, protocol=4,
             call="pickle.dump(sympy expressions and a Matrix)")
    with contextlib.suppress(ImportError):
        from PIL import Image

        im = Image.new("RGB", (2, 2), (10, 20, 30))
        dump("pillow", "pillow", "image.pkl", {"rgb": im, "l": im.convert("L")}, protocol=5,
             call="pickle.dump(PIL.Image.Image)")
    with contextlib.suppress(ImportError):
        import nltk
        from nltk.tokenize.punkt import PunktTrainer, PunktSentenceTokenizer

        trainer = PunktTrainer()
        trainer.train("Mr. Smith went to Washington. He arrived at 5 p.m. on Monday. Then he left. " * 5, finalize=True)
        tok = PunktSentenceTokenizer(trainer.get_params())
        dump("nltk", "nltk", "punkt.pkl", {"tokenizer": tok, "freq": nltk.FreqDist("abracadabra"),
                                           "tree": nltk.Tree("S", [nltk.Tree("NP", ["cat"])])},
             protocol=4, call="pickle.dump(PunktSentenceTokenizer, FreqDist, Tree)")
    with contextlib.suppress(ImportError):
        import dill

        p = out("dill", "data.pkl")
        p.write_bytes(dill.dumps({"a": np.arange(3), "b": [1.5, "x"], "t": (1, None)}))
        record("dill", "dill", "data.pkl", "dill.dumps(dict of data)")
    with contextlib.suppress(ImportError):
        import cloudpickle

        p = out("cloudpickle", "data.pkl")
        p.write_bytes(cloudpickle.dumps({"a": np.arange(3), "b": [1.5, "x"]}))
        record("cloudpickle", "cloudpickle", "data.pkl", "cloudpickle.dumps(dict of data)")


def sklearn_ecosystem():
    import numpy as np
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=40, n_features=4, weights=[0.8], random_state=0)
    with contextlib.suppress(ImportError):
        from imblearn.over_sampling import SMOTE
        from imblearn.pipeline import make_pipeline

        p = make_pipeline(SMOTE(k_neighbors=2, random_state=0), LogisticRegression()).fit(X, y)
        dump("imblearn", "imbalanced-learn", "smote_pipeline.pkl", p, protocol=5)
    with contextlib.suppress(ImportError):
        import category_encoders as ce
        import pandas as pd

        df = pd.DataFrame({"c": ["a", "b", "c", "a"] * 10})
        enc = ce.TargetEncoder(cols=["c"]).fit(df, y)
        dump("category_encoders", "category_encoders", "target_encoder.pkl", enc, protocol=5)
        enc = ce.OneHotEncoder(cols=["c"]).fit(df)
        dump("category_encoders", "category_encoders", "onehot_encoder.pkl", enc, protocol=5)
    with contextlib.suppress(ImportError):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
        study.optimize(lambda t: (t.suggest_float("x", -1, 1) - 0.2) ** 2, n_trials=3)
        jdump("optuna", "optuna", "study.joblib", study)
        dump("optuna", "optuna", "best_trial.pkl", study.best_trial, protocol=5)


def spacy_files():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Hello world. This is mlsc.")
    dump("spacy", "spacy", "doc.pkl", doc, protocol=5)
    dump("spacy", "spacy", "vocab.pkl", nlp.vocab, protocol=5)
    dump("spacy", "spacy", "blank_en.pkl", nlp, protocol=5)
    from spacy.tokens import DocBin

    db = DocBin(docs=[doc])
    out("spacy", "docs.spacy").write_bytes(db.to_bytes())
    record("spacy", "spacy", "docs.spacy", "DocBin.to_bytes (msgpack, not pickle)")


# ----- torch and its ecosystem -------------------------------------------------------------------------------------
def tiny_torch_model():
    import torch
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.Hardswish(), nn.Upsample(scale_factor=2),
        nn.Hardsigmoid(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2), nn.ReLU6(), nn.Dropout(0.1),
        nn.Mish(), nn.ELU(), nn.PReLU(), nn.Softplus(), nn.LogSoftmax(dim=-1),
    )


def torch_files():
    import torch
    from torch import nn

    m = tiny_torch_model()
    torch.save(m.state_dict(), out("torch", "state_dict.pt"))
    record("torch", "torch", "state_dict.pt", "torch.save(state_dict)")
    torch.save(m, out("torch", "whole_module.pt"))
    record("torch", "torch", "whole_module.pt", "torch.save(nn.Sequential with Hardswish/Hardsigmoid/Upsample)")
    torch.save(m, out("torch", "whole_module_legacy.pt"), _use_new_zipfile_serialization=False)
    record("torch", "torch", "whole_module_legacy.pt", "torch.save(whole module, _use_new_zipfile_serialization=False)")
    torch.save(m.state_dict(), out("torch", "state_dict_legacy.pt"), _use_new_zipfile_serialization=False)
    record("torch", "torch", "state_dict_legacy.pt", "torch.save(state_dict, _use_new_zipfile_serialization=False)")
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    m(torch.randn(1, 3, 4, 4)).sum().backward()
    opt.step()
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
    torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                "epoch": 1, "rng": torch.get_rng_state()}, out("torch", "checkpoint.pt"))
    record("torch", "torch", "checkpoint.pt", "torch.save(dict of model, AdamW, StepLR states and RNG state)")
    torch.save({"q": torch.quantize_per_tensor(torch.randn(4), 0.1, 0, torch.qint8),
                "half": torch.ones(2, dtype=torch.float16), "bf16": torch.ones(2, dtype=torch.bfloat16),
                "sparse": torch.eye(3).to_sparse(), "int": torch.arange(3), "bool": torch.tensor([True]),
                "complex": torch.zeros(2, dtype=torch.complex64), "size": torch.Size([2, 3]),
                "device": torch.device("cpu"), "dtype": torch.float32}, out("torch", "tensor_kinds.pt"))
    record("torch", "torch", "tensor_kinds.pt", "torch.save(quantized, half, bfloat16, sparse, complex tensors, Size, device, dtype)")
    lstm = nn.Sequential(nn.Embedding(10, 4), nn.LSTM(4, 4, batch_first=True))
    torch.save(lstm, out("torch", "rnn_module.pt"))
    record("torch", "torch", "rnn_module.pt", "torch.save(Embedding + LSTM module)")
    tr = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=8), num_layers=1)
    torch.save(tr, out("torch", "transformer_module.pt"))
    record("torch", "torch", "transformer_module.pt", "torch.save(TransformerEncoder module)")
    # TorchScript: traced and scripted
    m.eval()
    traced = torch.jit.trace(m, torch.randn(1, 3, 4, 4))
    torch.jit.save(traced, str(out("torch", "traced.pt")))
    record("torch", "torch", "traced.pt", "torch.jit.save(torch.jit.trace(Sequential))")
    scripted = torch.jit.script(nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2)))
    torch.jit.save(scripted, str(out("torch", "scripted.pt")))
    record("torch", "torch", "scripted.pt", "torch.jit.save(torch.jit.script(Sequential))")

    class WithLists(nn.Module):
        def __init__(self):
            super().__init__()
            self.sizes = [1, 2, 3]
            self.names = {"a": 1.0}
            self.lin = nn.Linear(2, 2)

        def forward(self, x):
            return self.lin(x) * self.sizes[0] + self.names["a"]

    s2 = torch.jit.script(WithLists())
    torch.jit.save(s2, str(out("torch", "scripted_attrs.pt")))
    record("torch", "torch", "scripted_attrs.pt", "torch.jit.save(scripted module with list/dict attributes)")
    # distributed checkpoint without a process group: one rank, files in a directory
    with contextlib.suppress(Exception):
        import torch.distributed.checkpoint as dcp

        d = ROOT / "torch" / "dcp"
        shutil.rmtree(d, ignore_errors=True)
        dcp.save({"model": nn.Linear(2, 2).state_dict(), "step": 3}, checkpoint_id=str(d))
        for f in sorted(d.iterdir()):
            record("torch", "torch", f"dcp/{f.name}", "torch.distributed.checkpoint.save(state_dict, checkpoint_id=dir)")


def torchvision_timm():
    import torch

    with contextlib.suppress(ImportError):
        from torchvision.models.mobilenetv3 import InvertedResidual, InvertedResidualConfig
        from torchvision.ops.misc import Conv2dNormActivation, SqueezeExcitation
        from torch import nn

        cnf = InvertedResidualConfig(4, 3, 8, 4, True, "HS", 1, 1, 1.0)
        m = nn.Sequential(Conv2dNormActivation(3, 4, kernel_size=3, activation_layer=nn.Hardswish),
                          InvertedResidual(cnf, nn.BatchNorm2d), SqueezeExcitation(4, 2, scale_activation=nn.Hardsigmoid),
                          nn.Upsample(scale_factor=2, mode="nearest"))
        torch.save(m, out("torchvision", "mobilenetv3_blocks.pt"))
        record("torchvision", "torchvision", "mobilenetv3_blocks.pt", "torch.save(torchvision MobileNetV3 blocks, whole module)")
        import torchvision

        r = torchvision.models.resnet.ResNet(torchvision.models.resnet.BasicBlock, [1, 1, 1, 1], num_classes=2, width_per_group=64)
        # shrink: keep the class structure, drop the width
        small = nn.Sequential(r.conv1.__class__(3, 2, 3), torchvision.models.resnet.BasicBlock(2, 2))
        torch.save(small, out("torchvision", "resnet_block.pt"))
        record("torchvision", "torchvision", "resnet_block.pt", "torch.save(torchvision ResNet BasicBlock, whole module)")
    with contextlib.suppress(ImportError):
        import timm

        for name in ("test_vit", "test_efficientnet", "test_convnext", "test_resnet"):
            try:
                m = timm.create_model(name, pretrained=False, num_classes=2)
            except Exception as e:  # noqa: BLE001 - a test model this timm does not have
                SKIPPED.append(f"timm {name}: {e}")
                continue
            torch.save(m, out("timm", f"{name}.pt"))
            record("timm", "timm", f"{name}.pt", f"torch.save(timm.create_model({name!r}), whole module)")


def tiny_bert_dir(td):
    from transformers import BertConfig, BertForSequenceClassification

    cfg = BertConfig(vocab_size=32, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=8,
                     max_position_embeddings=16, num_labels=2)
    return BertForSequenceClassification(cfg)


def transformers_files():
    import torch
    from transformers import Trainer, TrainingArguments

    m = tiny_bert_dir(None)
    # transformers 5 save_pretrained writes safetensors only; pytorch_model.bin is what 4.x wrote with
    # safe_serialization=False: torch.save of the state dict.
    torch.save(m.state_dict(), out("transformers", "pytorch_model.bin"))
    record("transformers", "transformers", "pytorch_model.bin", "torch.save(model.state_dict()) as 4.x save_pretrained(safe_serialization=False)")
    torch.save(m, out("transformers", "whole_model.pt"))
    record("transformers", "transformers", "whole_model.pt", "torch.save(BertForSequenceClassification), whole model")
    with tempfile.TemporaryDirectory() as td:
        data = [{"input_ids": torch.tensor([1, 2, 3]), "attention_mask": torch.tensor([1, 1, 1]), "labels": torch.tensor(1)}] * 4
        args = TrainingArguments(output_dir=td, max_steps=1, save_steps=1, per_device_train_batch_size=2, report_to=[],
                                 use_cpu=True, logging_steps=1)
        Trainer(model=m, args=args, train_dataset=data).train()
        ck = pathlib.Path(td) / "checkpoint-1"
        for f in sorted(ck.iterdir()):
            if f.suffix in (".bin", ".pt", ".pth"):
                copy_in("transformers", "transformers", f, f"trainer_{f.name}", f"Trainer checkpoint {f.name}")
    torch.save(args, out("transformers", "training_args_direct.bin"))
    record("transformers", "transformers", "training_args_direct.bin", "torch.save(TrainingArguments)")


def hf_ecosystem():
    import torch

    with contextlib.suppress(ImportError):
        from peft import LoraConfig, get_peft_model

        m = get_peft_model(tiny_bert_dir(None), LoraConfig(r=2, target_modules=["query", "value"]))
        with tempfile.TemporaryDirectory() as td:
            m.save_pretrained(td, safe_serialization=False)
            copy_in("peft", "peft", os.path.join(td, "adapter_model.bin"), "adapter_model.bin",
                    "PeftModel.save_pretrained(safe_serialization=False)")
    with contextlib.suppress(ImportError):
        from accelerate import Accelerator
        from accelerate.state import PartialState
        from accelerate.utils import DistributedType

        acc = Accelerator(cpu=True)
        torch.save({"state": PartialState(), "type": DistributedType.NO, "mixed": acc.mixed_precision},
                   out("accelerate", "partial_state.bin"))
        record("accelerate", "accelerate", "partial_state.bin", "torch.save(PartialState, DistributedType)")
        with tempfile.TemporaryDirectory() as td:
            model = torch.nn.Linear(2, 2)
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            model, opt = acc.prepare(model, opt)
            acc.save_state(td, safe_serialization=False)
            for f in sorted(pathlib.Path(td).rglob("*")):
                if f.is_file():
                    copy_in("accelerate", "accelerate", f, f"save_state_{f.name}", f"Accelerator.save_state: {f.name}")
    with contextlib.suppress(ImportError):
        from sentence_transformers import SentenceTransformer, models

        with tempfile.TemporaryDirectory() as td:
            bert = tiny_bert_dir(None).bert
            bert.save_pretrained(td + "/bert", safe_serialization=False)
            from transformers import BertTokenizerFast

            vocab = pathlib.Path(td) / "vocab.txt"
            vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat"]))
            BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(td + "/bert")
            word = models.Transformer(td + "/bert")
            st = SentenceTransformer(modules=[word, models.Pooling(word.get_word_embedding_dimension())])
            st.save(td + "/st", safe_serialization=False)
            for f in sorted(pathlib.Path(td, "st").rglob("*.bin")):
                copy_in("sentence_transformers", "sentence-transformers", f, f.name, "SentenceTransformer.save(safe_serialization=False)")
            torch.save(st, out("sentence_transformers", "whole_model.pt"))
            record("sentence_transformers", "sentence-transformers", "whole_model.pt", "torch.save(SentenceTransformer)")


def lightning_files():
    import torch

    import lightning as L

    class Tiny(L.LightningModule):
        def __init__(self, hidden=2, lr=0.1):
            super().__init__()
            self.save_hyperparameters()
            self.lin = torch.nn.Linear(2, hidden)

        def training_step(self, batch, _):
            return self.lin(batch[0]).sum()

        def configure_optimizers(self):
            opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
            return [opt], [torch.optim.lr_scheduler.StepLR(opt, 1)]

    ds = torch.utils.data.TensorDataset(torch.randn(4, 2))
    with tempfile.TemporaryDirectory() as td:
        tr = L.Trainer(max_epochs=1, default_root_dir=td, logger=False, enable_progress_bar=False,
                       enable_model_summary=False, accelerator="cpu")
        tr.fit(Tiny(), torch.utils.data.DataLoader(ds, batch_size=2))
        cks = sorted(pathlib.Path(td).rglob("*.ckpt"))
        if cks:
            copy_in("lightning", "lightning", cks[0], "trainer.ckpt", "lightning Trainer.fit ModelCheckpoint")
        tr.save_checkpoint(str(out("lightning", "save_checkpoint.ckpt")))
        record("lightning", "lightning", "save_checkpoint.ckpt", "Trainer.save_checkpoint")


def fastai_files():
    import pandas as pd
    from torch import nn
    from fastai.data.block import DataBlock, RegressionBlock
    from fastai.data.transforms import ColReader, RandomSplitter
    from fastai.learner import Learner

    # tabular_learner fails on this fastai/torch pair (an L where torch.empty wants ints): a DataBlock learner
    # exports the same Learner, DataLoaders and transforms.
    df = pd.DataFrame({"x": [float(i) for i in range(8)], "y": [float(2 * i) for i in range(8)]})
    dblock = DataBlock(blocks=(RegressionBlock, RegressionBlock), get_x=ColReader("x"), get_y=ColReader("y"),
                       splitter=RandomSplitter(seed=0))
    learn = Learner(dblock.dataloaders(df, bs=4), nn.Sequential(nn.Linear(1, 1)), loss_func=nn.MSELoss())
    with tempfile.TemporaryDirectory() as td:
        learn.path = pathlib.Path(td)
        learn.export("export.pkl")
        copy_in("fastai", "fastai", pathlib.Path(td) / "export.pkl", "learner_export.pkl", "Learner.export (DataBlock regression)")


SECTIONS = [
    python_stdlib, numpy_files, pandas_files, sklearn_estimators, joblib_files, scipy_files, statsmodels_files,
    gensim_files, boosters, misc_data_libraries, sklearn_ecosystem, spacy_files, torch_files, torchvision_timm,
    transformers_files, hf_ecosystem, lightning_files, fastai_files,
]


def main():
    only = set(sys.argv[1:])
    if not only:
        shutil.rmtree(ROOT, ignore_errors=True)
    ROOT.mkdir(parents=True, exist_ok=True)
    for section in SECTIONS:
        if only and section.__name__ not in only:
            continue
        seed()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                section()
        except Exception as e:  # noqa: BLE001 - a library that will not install or save is skipped, and said so
            SKIPPED.append(f"{section.__name__}: {type(e).__name__}: {e}")
            traceback.print_exc()
    manifest = ROOT / "MANIFEST.tsv"
    old = []
    if only and manifest.exists():
        done = {r[0] for r in ROWS}
        old = [line.split("\t") for line in manifest.read_text().splitlines()[1:] if line.split("\t")[0] not in done]
    rows = sorted(old + [list(r) for r in ROWS])
    with open(manifest, "w") as f:
        f.write("file\tlibrary\tversion\tsave call\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(ROWS)} files written", file=sys.stderr)
    for s in SKIPPED:
        print(f"skipped: {s}", file=sys.stderr)


if __name__ == "__main__":
    main()
