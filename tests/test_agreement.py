"""The title agreement measure (pipeline.ids.agreement) on real title pairs, both sides.

Every pair below is real: two lines of the five lists (``sources/``) or of the lists in
``../shared/lists`` that name one paper with different titles (the same arXiv id or the same
publisher link), and pairs of different papers the lists give, the wrong-link ones first
(two rows that link one id) and then the most similar different papers seen in those lists
(the highest plain character ratio among titles with different arXiv ids).
"""

from __future__ import annotations

import pytest

from pipeline.ids.agreement import AGREE, is_name, title_agreement, titles_agree, words

SAME = [
    # rs-cross-modal-retrieval.md:49 / rs-mllm.md:170, arXiv 2306.11300 (a later version's name)
    (
        "RS5M: A Large Scale Vision-Language Dataset for Remote Sensing Vision-Language "
        "Foundation Model",
        "RS5M and GeoRSCLIP: A Large Scale Vision-Language Dataset and A Large Vision-Language "
        "Model for Remote Sensing",
    ),
    # Chen-Yang-Liu Awesome-RS-Temporal-VLM:182 / rs-mllm.md:93, arXiv 2410.06234
    (
        "TEOChat: A Large Vision-Language Assistant for Temporal Earth Observation Data",
        "TEOChat: Large Language and Vision Assistant for Temporal Earth Observation Data",
    ),
    # rs-cross-modal-retrieval.md:61 / rs-mllm.md:95, arXiv 2407.13596
    (
        "EarthMarker: Visual Prompt Learning for Region-level and Point-level Remote Sensing "
        "Imagery Comprehension",
        "EarthMarker: A Visual Prompting MLLM for Region-level and Point-level Remote Sensing "
        "Imagery Comprehension",
    ),
    # rs-cross-modal-retrieval.md:59 / rs-mllm.md:97, one MDPI link (DOI 10.3390/rs16091477)
    (
        "RS-LLaVA: Large Vision Language Model for Joint Captioning and Question Answering in "
        "Remote Sensing Imagery",
        "RS-LLaVA: A Large Vision-Language Model for Joint Captioning and Question Answering in "
        "Remote Sensing Imagery",
    ),
    # awesome-rsvlm.md:44 / lzw-lzw list:102, arXiv 2204.09868 (cut short in one list)
    (
        "Exploring a Fine-Grained Multiscale Method for Cross-Modal Remote Sensing Image Retrieval",
        "Exploring a fine-grained multiscale method for cross-modal remote sensing image retrieva",
    ),
    # Chen-Yang-Liu list:129 / rs-mllm.md:114, arXiv 2403.19646
    (
        "Change-Agent: Toward Interactive Comprehensive Remote Sensing Change Interpretation "
        "and Analysis",
        "Change-Agent: Towards Interactive Comprehensive Remote Sensing Change Interpretation "
        "and Analysis",
    ),
    # xiaoaoran awesome-RSFMs:122 / rs-cross-modal-retrieval.md:49, arXiv 2306.11300 (casing)
    (
        "Rs5m: A large scale vision-language dataset for remote sensing vision-language "
        "foundation model",
        "RS5M and GeoRSCLIP: A Large Scale Vision-Language Dataset and A Large Vision-Language "
        "Model for Remote Sensing",
    ),
    # xiaoaoran awesome-RSFMs:121 / rs-vlm.md, arXiv 2306.11029 (casing)
    (
        "Remoteclip: A vision language foundation model for remote sensing",
        "RemoteCLIP: A Vision Language Foundation Model for Remote Sensing",
    ),
    # rs-vlm.md, IEEE 9088993: the dataset row and the paper row
    ("RSVQA", "RSVQA: Visual question answering for remote sensing data"),
    # rs-vlm.md, IEEE 8240966: a dataset row names the dataset, not the paper
    ("RSICD", "Exploring models and data for remote sensing image caption generation"),
    # rs-mllm.md:147 as the IEEE record titles it, and without its subtitle
    (
        "Language Integration in Remote Sensing: Tasks, datasets, and future directions",
        "Language Integration in Remote Sensing",
    ),
    # the RSVQA×BEN row of rs-vlm.md as a registry spaces and cases it
    (
        "RSVQA meets bigearthnet: a new,large-scale, visual question answering dataset for "
        "remote sensing",
        "RSVQA Meets BigEarthNet: A New, Large-Scale, Visual Question Answering Dataset for "
        "Remote Sensing",
    ),
]

DIFFERENT = [
    # rs-mllm.md:185 links arXiv 2406.09385, the survey of rs-mllm.md:145
    (
        "RS-GPT4V: A Unified Multimodal Instruction-Following Dataset for Remote Sensing Image "
        "Understanding",
        "Towards Vision-Language Geo-Foundation Model: A Survey",
    ),
    # rs-mllm.md:148 links IEEE 10278197, the paper of rs-mllm.md:147
    (
        "Brain-Inspired Remote Sensing Foundation Models and Open Problems: A Comprehensive Survey",
        "Language Integration in Remote Sensing: Tasks, datasets, and future directions",
    ),
    # rs-mllm.md:138: two arXiv links on one row, two surveys
    (
        "Remote Sensing Temporal Vision-Language Models: A Comprehensive Survey",
        "A Survey on Remote Sensing Foundation Models: From Vision to Multimodality",
    ),
    # MrNeRF awesome-3D-gaussian-splatting:232 / :315 both link arXiv 2310.08528
    (
        "4D Gaussian Splatting for Real-Time Dynamic Scene Rendering",
        "Gaussian-Flow: 4D Reconstruction with Dynamic 3D Gaussian Particle",
    ),
    # MrNeRF list:644 / :654 both link arXiv 2312.02134
    (
        "GaussianAvatar: Towards Realistic Human Avatar Modeling from a Single Video via "
        "Animatable 3D Gaussians",
        "FlashAvatar: High-Fidelity Digital Avatar Rendering at 300FPS",
    ),
    # htqin awesome-model-quantization:227 / :253 (0.88 by plain ratio)
    (
        "RPTQ: Reorder-based Post-training Quantization for Large Language Models.",
        "FPTQ: Fine-grained Post-Training Quantization for Large Language Models",
    ),
    # MrNeRF list:993 / :1002 (0.85)
    (
        "SparseGS: Real-Time 360° Sparse View Synthesis using Gaussian Splatting",
        "FSGS: Real-Time Few-shot View Synthesis using Gaussian Splatting",
    ),
    # rs-cross-modal-retrieval.md:77 / xiaoaoran awesome-RSFMs:62 (0.83, no name to tell)
    (
        "Self-supervised audiovisual representation learning for remote sensing data",
        "Self-supervised material and texture representation learning for remote sensing tasks",
    ),
    # lzw-lzw list:121 / rs-mllm.md:89 (0.82)
    (
        "Language transformers for remote sensing visual question answering",
        "Large Vision-Language Models for Remote Sensing Visual Question Answering",
    ),
    # htqin list:220 / :267 (0.80)
    (
        "SmoothQuant: Accurate and Efficient Post-Training Quantization for Large Language Models.",
        "QLLM: Accurate and Efficient Low-Bitwidth Quantization for Large Language Models",
    ),
    # rs-cross-modal-retrieval.md:134 / rs-mllm.md:143 (0.74)
    (
        "AI Foundation Models in Remote Sensing: A Survey",
        "Foundation Models for Remote Sensing and Earth Observation: A Survey",
    ),
    # xiaoaoran awesome-RSFMs:121 / rs-mllm.md:124 (0.75)
    (
        "Remoteclip: A vision language foundation model for remote sensing",
        "LRSCLIP: A Vision-Language Foundation Model for Aligning Remote Sensing Image with "
        "Longer Text",
    ),
    # MrNeRF list:624 / :694 (0.76)
    (
        "HeadGaS: Real-Time Animatable Head Avatars via 3D Gaussian Splatting",
        "3DGS-Avatar: Animatable Avatars via Deformable 3D Gaussian Splatting",
    ),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_paper_titles_agree(a: str, b: str) -> None:
    assert titles_agree(a, b) and titles_agree(b, a), (title_agreement(a, b), a, b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_paper_titles_do_not(a: str, b: str) -> None:
    assert not titles_agree(a, b) and not titles_agree(b, a), (title_agreement(a, b), a, b)


def test_enough_real_pairs_on_each_side() -> None:
    assert len(SAME) >= 10 and len(DIFFERENT) >= 10


def test_markup_and_abbreviations_are_read_through() -> None:
    assert words("<i>RS</i> image captioning with \\textbf{VLMs}") == (
        "remote sensing image captioning with vision language models"
    )
    assert title_agreement("$\\alpha$-CLIP: remote sensing", "α-CLIP: Remote Sensing") >= AGREE
    assert (
        title_agreement("RS Image Captioning: A Survey", "Remote sensing image captioning") >= AGREE
    )


def test_names_are_not_paper_titles() -> None:
    assert is_name("UCM-Captions") and is_name("RSVQA×BEN")
    assert not is_name("Towards Vision-Language Geo-Foundation Model: A Survey")
