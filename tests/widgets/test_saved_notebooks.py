"""A notebook saved from the curriculum's JupyterLab keeps no live widget: the pre-save hook puts a line
saying how to start the exercise where each widget was, and drops the widget state.
tests/browser/test_reopen.py saves, closes and reopens a module in a real JupyterLab."""

import copy
from pathlib import Path

import nbformat
from jupyter_server.services.contents.manager import ContentsManager

from trauma_curriculum.teaching.lab import PRE_SAVE_HOOK, RUN_NOTE, WIDGET_VIEW, lab_command, without_widgets

ROOT = Path(__file__).resolve().parents[2]


def saved_model() -> dict:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    sorter = nbformat.v4.new_code_cell('VignetteSorter.for_module("00")', outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
        nbformat.v4.new_output("execute_result", execution_count=3, data={
            "text/plain": "VignetteSorter(...)", WIDGET_VIEW: {"model_id": "abc", "version_major": 2}}),
    ])  # fmt: skip
    figure = nbformat.v4.new_code_cell("module_map_figure()", outputs=[
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})])  # fmt: skip
    notebook.cells = [nbformat.v4.new_markdown_cell("# Module"), sorter, figure]
    return {"type": "notebook", "format": "json", "content": nbformat.validator.normalize(notebook)[1]}


def test_the_hook_replaces_widget_views_with_the_start_line_and_drops_widget_state():
    model = saved_model()
    without_widgets(model=model, path="notebooks/00-start-here.ipynb", contents_manager=None)
    notebook = nbformat.from_dict(model["content"])
    nbformat.validate(notebook)
    assert "widgets" not in notebook.metadata
    stream, note = notebook.cells[1].outputs
    assert stream.text == "hello\n"  # only the widget view is replaced
    assert WIDGET_VIEW not in note.data and RUN_NOTE in note.data["text/plain"] and RUN_NOTE in note.data["text/html"]
    assert notebook.cells[2].outputs[0].data == {"image/png": "iVBORw0KGgo="}  # figures stay


def test_the_hook_leaves_other_files_and_widget_free_notebooks_alone():
    text = {"type": "file", "format": "text", "content": "# a MyST pair\n"}
    without_widgets(model=text, path="notebooks/00-start-here.md")
    assert text == {"type": "file", "format": "text", "content": "# a MyST pair\n"}
    model = saved_model()
    model["content"]["cells"][1]["outputs"] = []
    model["content"]["metadata"].pop("widgets")
    before = copy.deepcopy(model)
    without_widgets(model=model, path="x.ipynb")
    assert model == before


def test_the_lab_command_installs_the_hook_under_the_option_jupyter_server_reads():
    command = lab_command(ROOT, ["--no-browser"])
    assert PRE_SAVE_HOOK in command
    option, _, target = PRE_SAVE_HOOK.partition("=")
    assert option == "--ContentsManager.pre_save_hook" and "pre_save_hook" in ContentsManager.class_traits(config=True)
    manager = ContentsManager(pre_save_hook=target)  # the server imports the hook from this string
    assert manager.pre_save_hook is without_widgets
