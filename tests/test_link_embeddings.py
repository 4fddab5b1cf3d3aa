"""The pinned sentence-embedding model: installed with the project, loaded with no network, stable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np

from corroborator.link import embeddings, similarity


def test_loads_and_encodes_with_sockets_blocked() -> None:
    """A fresh process whose sockets refuse to connect still loads the model and encodes."""
    script = textwrap.dedent(
        """
        import os, socket
        os.environ["HF_HUB_OFFLINE"] = "1"
        attempts = []
        def refuse(self, *args, **kwargs):
            attempts.append(args)
            raise OSError("network blocked in this test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        from corroborator.link import embeddings
        vectors = embeddings.encode(["The fire killed four workers.", "Four workers died in the blaze."])
        assert vectors.shape == (2, 384), vectors.shape
        assert not attempts, attempts
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    fire, blaze, schools = embeddings.encode(
        [
            "Four workers were killed when fire swept through the chemical plant.",
            "The blaze at the chemical works left four employees dead.",
            "Schools in the capital will reopen on Monday after the holidays.",
        ]
    )
    assert float(fire @ blaze) > 0.6
    assert float(fire @ blaze) > float(fire @ schools) + 0.3


def test_vectors_are_unit_length_and_deterministic() -> None:
    texts = ["Police detained dozens of protesters.", "Dozens of protesters were arrested by police.", "x"]
    first = embeddings.encode(texts)
    fresh = embeddings.MiniLM().encode(texts)  # a second model, no shared cache
    assert first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.allclose(first, fresh, atol=1e-6)
    assert np.allclose(embeddings.encode(list(reversed(texts))), first[::-1], atol=1e-6)


def test_loaded_once_per_process() -> None:
    assert embeddings.model() is embeddings.model()


def test_similarity_backend_is_the_pinned_model() -> None:
    assert isinstance(similarity.BACKEND, similarity.MiniLMEncoder)
    same, other = similarity.similarity(
        ["Troops fired live rounds at the protesters.", "Troops fired live rounds at the protesters."],
        ["Soldiers shot at the crowd with live ammunition.", "The river burst its banks overnight."],
    )
    assert same > other
