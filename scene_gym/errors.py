"""The package's own exception types.

Every error raised on bad input is a :class:`SceneGymError` subclass whose message names the offending
value, in the form "expected X, got Y". Catch :class:`SceneGymError` to handle any of them.
"""

from __future__ import annotations


class SceneGymError(ValueError):
    """Base class of every error scene-gym raises on bad input."""


class SceneValidationError(SceneGymError):
    """A scene, room, object or light failed validation; the message names the field path and value."""


class EditError(SceneGymError):
    """A scene edit that cannot be applied: unknown object id or category, a size outside the category's range,
    an object leaving the room, no free support surface... The scene is unchanged when it is raised.

    Attributes:
        field: the edit's argument at fault (``"size"``, ``"position"``, ``"ids[1]"``), or None. Front-ends map
            it onto their own argument names (the tools' ``args.size``).
        reason: the message.
    """

    def __init__(self, reason: str, *, field: str | None = None):
        self.field, self.reason = field, reason
        super().__init__(reason)


class UnknownCategoryError(SceneGymError):
    """An asset category is not in the catalog; ``suggestions`` holds the closest known names."""

    def __init__(self, name: str, suggestions: list[str] | None = None):
        self.name = name
        self.suggestions = list(suggestions or [])
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown category {name!r}{hint}")


class AssetError(SceneGymError):
    """An asset could not be built from the given parameters (size out of range, bad parameter...)."""


class ProgramError(AssetError):
    """An object program (``scene_gym.assets.programs``) that is malformed or cannot be built. The message starts
    with the program field path, ``parts[3].size[1]: expected a finite extent in [0.002, 5] m, got nan``.

    Attributes:
        field: the path of the offending field (``"parts[3].size[1]"``, ``"joints[0].limits"``), or ``""`` for
            the program as a whole.
        reason: the message without the path.
    """

    def __init__(self, field: str, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}" if field else reason)


class ExportError(SceneGymError):
    """A scene could not be exported to the requested format."""


class MissingDependencyError(SceneGymError, ImportError):
    """An optional backend library is not installed; the message names the pip extra that provides it."""

    def __init__(self, module: str, extra: str, purpose: str = ""):
        self.module = module
        self.extra = extra
        what = f" for {purpose}" if purpose else ""
        super().__init__(
            f"{module!r} is required{what} but is not installed; install it with "
            f"`pip install 'scene-gym[{extra}]'`"
        )


class RenderError(SceneGymError):
    """A render could not be made: unknown backend or view, bad image size, a camera outside the room or
    inside furniture, or a backend that failed on this scene."""


class LayoutError(SceneGymError):
    """A layout relation or a solver request is invalid: unknown relation name, missing or bad field, unknown
    object id, NaN distance... The message names the field and the offending value."""


class RewardError(SceneGymError):
    """A reward could not be built or computed: unknown reward name, bad reward spec, a judge endpoint that
    failed, a model checkpoint that cannot be loaded. The message names the value and how to fix it."""


class PolicyError(SceneGymError):
    """A policy cannot be built or run: a bad argument, a checkpoint that cannot be loaded, a missing chat
    template. The message names the value."""


class ModelLoadError(PolicyError, RewardError):
    """A local model checkpoint cannot be loaded (:mod:`scene_gym.llm.local_models`): not a directory, no
    ``config.json``, a bad dtype, broken files, no chat template. It is a :class:`PolicyError` for a policy and a
    :class:`RewardError` for a model judge, so either ``except`` catches it; the message names the path."""


class SpecError(SceneGymError):
    """A task spec or a prompt given to the parser is invalid; the message names the field and the value."""


class ParseError(SceneGymError):
    """Model output that does not hold a usable action; the message says what was expected and what came."""
