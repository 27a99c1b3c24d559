"""The interface's words in Vietnamese (the dispatch's own terms) and English.

One language per process, chosen on the command line before the app starts, as gettext would;
`t(key, **values)` looks a key up and fills its `{placeholders}`. Binding descriptions are keys
too: `localise_bindings` translates them where the footer and the help screen read them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from textual.binding import Binding

__all__ = [
    "LANGUAGES",
    "chair_word",
    "deputy_word",
    "group_word",
    "has",
    "kind_label",
    "language",
    "localise_binding",
    "set_language",
    "t",
    "term_label",
]

LANGUAGES = ("vi", "en")

# key: (Vietnamese, English)
_TEXTS: dict[str, tuple[str, str]] = {
    # Key bindings (footer, help, command palette)
    "key.help": ("Trợ giúp", "Help"),
    "key.find": ("Tìm", "Find"),
    "key.move": ("Chuyển", "Move"),
    "key.chair": ("Trưởng", "Chair"),
    "key.deputy": ("Phó", "Deputy"),
    "key.leader": ("Lãnh đạo", "Leader"),
    "key.officer": ("Cán bộ", "Officer"),
    "key.assign": ("Giao nhóm", "Assign"),
    "key.pin": ("Ghim", "Pin"),
    "key.add": ("Thêm", "Add"),
    "key.remove": ("Xóa", "Remove"),
    "key.undo": ("Hoàn tác", "Undo"),
    "key.redo": ("Làm lại", "Redo"),
    "key.solve": ("Đề xuất", "Solve"),
    "key.cancel_solve": ("Dừng giải", "Stop solver"),
    "key.save": ("Lưu", "Save"),
    "key.save_as": ("Lưu thành", "Save as"),
    "key.open": ("Mở", "Open"),
    "key.open_previous": ("Mở năm trước", "Open previous"),
    "key.new_plan": ("Kế hoạch mới", "New plan"),
    "key.violations": ("Vi phạm", "Violations"),
    "key.tab_plan": ("Cụm, khối", "Groups"),
    "key.tab_staff": ("Cán bộ", "Staff"),
    "key.tab_compare": ("So sánh", "Compare"),
    "key.quit": ("Thoát", "Quit"),
    "Quit": ("Thoát", "Quit"),
    "palette": ("Lệnh", "Commands"),
    "key.yes": ("Đồng ý", "Yes"),
    "key.no": ("Không", "No"),
    "key.close": ("Đóng", "Close"),
    "key.accept": ("Nhận", "Accept"),
    "key.discard": ("Bỏ", "Discard"),
    "key.select_all": ("Chọn hết", "Select all"),
    "key.select_none": ("Bỏ chọn", "Select none"),
    "key.cancel": ("Hủy", "Cancel"),
    # Longer command descriptions (command palette)
    "help.help": ("Danh sách phím tắt", "List the keys"),
    "help.find": ("Tìm đơn vị, nhóm, cán bộ (không cần dấu)", "Find units, groups, people"),
    "help.move": ("Chuyển đơn vị đang chọn sang nhóm khác", "Move the selected unit"),
    "help.chair": ("Chọn khối trưởng, cụm trưởng", "Choose the group's chair"),
    "help.deputy": ("Chọn khối phó, cụm phó", "Choose the group's deputy"),
    "help.leader": ("Phân công lãnh đạo phụ trách", "Put a leader in charge"),
    "help.officer": ("Phân công cán bộ phụ trách, theo dõi", "Put an officer in charge"),
    "help.assign": (
        "Giao cho người đang chọn phụ trách một nhóm (gợi ý theo chi phí)",
        "Put the selected person in charge of a group (ranked by cost)",
    ),
    "help.pin": ("Ghim hoặc bỏ ghim (giữ nguyên khi đề xuất)", "Pin or unpin for the solver"),
    "help.add": ("Thêm nhóm, đơn vị hoặc cán bộ", "Add a group, unit or person"),
    "help.remove": ("Xóa mục đang chọn", "Remove the selected item"),
    "help.undo": ("Hoàn tác thay đổi gần nhất", "Undo the last edit"),
    "help.redo": ("Làm lại thay đổi vừa hoàn tác", "Redo the undone edit"),
    "help.solve": ("Chạy bộ giải để đề xuất kế hoạch", "Run the solver for a proposal"),
    "help.cancel_solve": ("Dừng bộ giải, giữ kết quả tốt nhất", "Stop, keep the best so far"),
    "help.save": ("Lưu kế hoạch (giữ chú thích trong tệp)", "Save (comments kept)"),
    "help.save_as": ("Lưu kế hoạch vào tệp khác", "Save to another file"),
    "help.open": ("Mở tệp kế hoạch", "Open a plan file"),
    "help.open_previous": ("Thêm kế hoạch năm trước để so sánh", "Add a previous year's plan"),
    "help.new_plan": ("Bắt đầu kế hoạch trống", "Start an empty plan"),
    "help.violations": ("Đến danh sách vi phạm", "Go to the violations"),
    "help.tab_plan": ("Xem cụm, khối và đơn vị", "Browse groups and units"),
    "help.tab_staff": ("Xem cán bộ và số nhóm phụ trách", "Staff and workloads"),
    "help.tab_compare": ("So sánh với kế hoạch năm trước", "Compare with last year"),
    "help.quit": ("Thoát chương trình", "Quit"),
    # Areas of the screen
    "app.unsaved": ("chưa lưu", "unsaved"),
    "app.year": ("năm {year}", "year {year}"),
    "app.no_plan": (
        "Chưa mở kế hoạch nào. Nhấn Ctrl+O để mở tệp, Ctrl+N để bắt đầu kế hoạch mới.",
        "No plan open. Press Ctrl+O to open a file, Ctrl+N to start a new plan.",
    ),
    "tab.plan": ("Cụm, khối", "Groups"),
    "tab.staff": ("Cán bộ", "Staff"),
    "tab.compare": ("So sánh", "Compare"),
    "tree.unplaced": ("Chưa thuộc nhóm nào", "In no group"),
    "tree.units": ("{count} đơn vị", "{count} units"),
    "tree.groups": ("{count} nhóm", "{count} groups"),
    "tree.pinned": ("ghim", "pinned"),
    "detail.hint": (
        "Chọn một nhóm hoặc đơn vị bên trái để xem chi tiết.",
        "Select a group or unit on the left to see it here.",
    ),
    "detail.size": ("{count} đơn vị (quy định {low}–{high})", "{count} units ({low}–{high})"),
    "detail.workload": ("{count}/{limit} nhóm", "{count}/{limit} groups"),
    "detail.members": ("Thành viên", "Members"),
    "detail.pins": ("Ghim", "Pins"),
    "detail.kind": ("Loại", "Kind"),
    "detail.tags": ("Nhãn", "Tags"),
    "detail.group": ("Nhóm", "Group"),
    "detail.role": ("Vai trò", "Role"),
    "detail.history": ("Các năm trước", "Previous years"),
    "detail.no_history": (
        "Chưa có kế hoạch năm trước (mở bằng --previous hoặc lệnh Mở năm trước).",
        "No previous plans (give --previous, or use Open previous).",
    ),
    "detail.this_year": ("{year} (đang lập)", "{year} (this plan)"),
    "detail.unavailable": ("không còn phân công được", "unavailable"),
    "col.role": ("Vai trò", "Role"),
    "col.year": ("Năm", "Year"),
    "col.group": ("Nhóm", "Group"),
    "col.name": ("Họ và tên", "Name"),
    "col.workload": ("Phụ trách", "Load"),
    "col.groups": ("Các nhóm", "Groups"),
    "col.status": ("Ghi chú", "Status"),
    "col.rule": ("Quy tắc", "Rule"),
    "col.message": ("Nội dung", "What is wrong"),
    "col.change": ("Thay đổi", "Change"),
    "col.before": ("Trước", "Before"),
    "col.after": ("Sau", "After"),
    "role.leader": ("Lãnh đạo phụ trách", "Leader in charge"),
    "role.officer": ("Cán bộ phụ trách", "Officer in charge"),
    "role.leader.short": ("Lãnh đạo", "Leader"),
    "role.officer.short": ("Cán bộ", "Officer"),
    "violations.title": ("Vi phạm: {count}", "Violations: {count}"),
    "violations.none": ("Không có vi phạm: kế hoạch đúng mọi quy tắc.", "No violations."),
    "terms.title": ("Mục tiêu", "Objective"),
    "terms.against": ("So với {year}:", "Against {year}:"),
    "terms.no_previous": ("Chưa có năm trước để so sánh.", "No previous plan to compare."),
    "terms.moves": ("Đơn vị chuyển nhóm", "Units moved"),
    "terms.staff_changes": ("Đổi người phụ trách", "Staff changes"),
    "terms.spread": ("Chênh lệch quy mô", "Size spread"),
    "terms.tag_cohesion": ("Đơn vị khác nhãn đa số", "Units outside majority tag"),
    "terms.neighbour_cohesion": ("Cặp giáp ranh bị tách", "Neighbour pairs split"),
    "terms.weighted": ("Tổng có trọng số", "Weighted sum"),
    "solve.running": ("Đang giải", "Solving"),
    "solve.stage": ("giai đoạn: {stage}", "stage: {stage}"),
    "solve.objective": ("mục tiêu {value}", "objective {value}"),
    "solve.bound": ("cận {value}", "bound {value}"),
    "solve.elapsed": ("{seconds:.1f} giây", "{seconds:.1f} s"),
    "solve.waiting": ("đang dựng mô hình…", "building the model…"),
    "solve.cancelling": ("đang dừng…", "stopping…"),
    "solve.unavailable": ("Chưa có bộ giải: {error}", "The solver is not available: {error}"),
    "solve.failed": ("Bộ giải lỗi: {error}", "The solver failed: {error}"),
    "solve.infeasible": (
        "Không có kế hoạch nào thỏa mọi quy tắc: {message}",
        "No plan satisfies every rule: {message}",
    ),
    "solve.unknown": (
        "Bộ giải chưa tìm được kế hoạch trong thời gian cho phép.",
        "The solver found no plan in the time allowed.",
    ),
    "solve.no_change": ("Đề xuất giống kế hoạch hiện tại.", "The proposal changes nothing."),
    "solve.accepted": ("Đã nhận {count} thay đổi.", "Accepted {count} changes."),
    "solve.discarded": ("Đã bỏ đề xuất.", "Proposal discarded."),
    "proposal.title": ("Đề xuất của bộ giải", "The solver's proposal"),
    "proposal.status": ("Kết quả: {status}", "Result: {status}"),
    "proposal.optimal": ("tối ưu (đã chứng minh)", "optimal (proven)"),
    "proposal.feasible": ("khả thi, chưa chứng minh tối ưu", "feasible, not proven optimal"),
    "proposal.interrupted": ("dừng giữa chừng", "stopped early"),
    "proposal.hint": (
        "Chọn các thay đổi muốn nhận (Space), rồi Enter để nhận.",
        "Pick the changes to accept (Space), then Enter.",
    ),
    "proposal.accept": ("Nhận các thay đổi đã chọn", "Accept the selected changes"),
    "proposal.discard": ("Bỏ đề xuất", "Discard"),
    "compare.none": (
        "Chưa có kế hoạch năm trước để so sánh. Mở bằng --previous hoặc lệnh Mở năm trước.",
        "No previous plan to compare with. Give --previous, or use Open previous.",
    ),
    "compare.heading": ("So với kế hoạch năm {year}: {count} thay đổi", "Against {year}: {count}"),
    "compare.same": ("Không có thay đổi so với năm {year}.", "Nothing changed since {year}."),
    "change.move": ("Chuyển nhóm: {unit}", "Moved: {unit}"),
    "change.unit_added": ("Đơn vị mới: {unit}", "New unit: {unit}"),
    "change.unit_removed": ("Đơn vị bỏ: {unit}", "Removed unit: {unit}"),
    "change.group_added": ("Nhóm mới: {group}", "New group: {group}"),
    "change.group_removed": ("Nhóm bỏ: {group}", "Removed group: {group}"),
    "change.role": ("{role} {group}", "{role} of {group}"),
    "change.nowhere": ("(không thuộc nhóm nào)", "(no group)"),
    "picker.filter": ("Lọc (gõ không cần dấu)…", "Filter…"),
    "picker.move": ("Chuyển {unit} sang nhóm", "Move {unit} to"),
    "picker.no_group": ("— Không thuộc nhóm nào", "— No group"),
    "picker.clear": ("— Để trống", "— Nobody"),
    "picker.current": ("hiện tại", "current"),
    "picker.full": ("đủ", "full"),
    "picker.chair": ("Chọn {role} cho {group}", "Choose the {role} of {group}"),
    "picker.staff": ("Chọn {role} cho {group}", "Choose the {role} of {group}"),
    "picker.empty": ("Không có lựa chọn nào hợp lệ.", "No eligible choice."),
    "picker.add": ("Thêm gì?", "Add what?"),
    "picker.pin": ("Ghim (giữ khi đề xuất) cho {name}", "Pins for {name}"),
    "pin.unit": ("Giữ {unit} trong {group}", "Keep {unit} in {group}"),
    "pin.chair": ("Giữ {unit} làm {role} {group}", "Keep {unit} as {role} of {group}"),
    "pin.staff": ("Giữ {person} phụ trách {group}", "Keep {person} in charge of {group}"),
    "pin.on": ("đang ghim", "pinned"),
    "pin.off": ("chưa ghim", "not pinned"),
    "add.group": ("Nhóm (khối, cụm)", "Group (block, cluster)"),
    "add.unit": ("Đơn vị", "Unit"),
    "add.person": ("Cán bộ", "Person"),
    "add.title.group": ("Thêm nhóm", "Add a group"),
    "add.title.unit": ("Thêm đơn vị", "Add a unit"),
    "add.title.person": ("Thêm cán bộ", "Add a person"),
    "add.name": ("Tên", "Name"),
    "add.kind": ("Loại", "Kind"),
    "add.into": ("Vào nhóm", "Into group"),
    "add.role": ("Vai trò", "Role"),
    "add.position": ("Chức vụ (không bắt buộc)", "Title (optional)"),
    "add.max_groups": ("Số nhóm tối đa (để trống: theo quy định)", "Group limit (blank: rule's)"),
    "add.bad_number": ("Số nhóm tối đa phải là số nguyên.", "The limit must be a whole number."),
    "add.ok": ("Thêm", "Add"),
    "add.cancel": ("Hủy", "Cancel"),
    "remove.group": (
        "Xóa {name}? Các đơn vị của nhóm sẽ chưa thuộc nhóm nào.",
        "Remove {name}? Its members will be in no group.",
    ),
    "remove.unit": ("Xóa đơn vị {name} khỏi kế hoạch?", "Remove the unit {name} from the plan?"),
    "remove.person": (
        "Xóa {name}? Các nhóm người này phụ trách sẽ thiếu người phụ trách.",
        "Remove {name}? The groups in their charge will have nobody.",
    ),
    "confirm.quit": (
        "Kế hoạch có thay đổi chưa lưu. Vẫn thoát?",
        "The plan has unsaved changes. Quit anyway?",
    ),
    "confirm.open": (
        "Kế hoạch có thay đổi chưa lưu. Vẫn mở kế hoạch khác?",
        "The plan has unsaved changes. Open another anyway?",
    ),
    "confirm.hint": ("y: đồng ý · n, Esc: không", "y: yes · n, Esc: no"),
    "file.open": ("Mở tệp kế hoạch (.toml)", "Open a plan file (.toml)"),
    "file.previous": ("Mở kế hoạch năm trước (.toml)", "Open a previous plan (.toml)"),
    "file.save_as": ("Lưu kế hoạch thành tệp", "Save the plan as"),
    "file.path": ("Đường dẫn tệp", "File path"),
    "file.missing": ("Không có tệp này.", "No such file."),
    "file.no_dir": ("Không có thư mục {path}.", "No directory {path}."),
    "file.is_dir": ("Đây là thư mục, hãy chọn một tệp.", "That is a directory."),
    "file.saved": ("Đã lưu {path}", "Saved {path}"),
    "file.opened": ("Đã mở {path}", "Opened {path}"),
    "file.previous_added": ("Đã thêm kế hoạch năm {year}", "Added the plan of {year}"),
    "search.placeholder": (
        "Tìm đơn vị, nhóm, cán bộ (gõ không dấu: tan binh)",
        "Find a unit, group or person (tan binh)",
    ),
    "search.none": ("Không tìm thấy.", "Nothing found."),
    "kind.unit": ("Đơn vị", "Unit"),
    "kind.group": ("Nhóm", "Group"),
    "kind.staff": ("Cán bộ", "Person"),
    "help.title": ("Phím tắt", "Keys"),
    "help.palette": (
        "Ctrl+P mở bảng lệnh: mọi thao tác đều có ở đó.",
        "Ctrl+P opens the command palette: every action is there.",
    ),
    "edit.move": ("chuyển {unit}", "move {unit}"),
    "edit.role": ("{role} {group}", "{role} of {group}"),
    "edit.pin": ("ghim {name}", "pin {name}"),
    "edit.unpin": ("bỏ ghim {name}", "unpin {name}"),
    "edit.add": ("thêm {name}", "add {name}"),
    "edit.remove": ("xóa {name}", "remove {name}"),
    "edit.accept": ("nhận đề xuất", "accept proposal"),
    "edit.undone": ("Đã hoàn tác: {label}", "Undone: {label}"),
    "edit.redone": ("Đã làm lại: {label}", "Redone: {label}"),
    "edit.error": ("Không thực hiện được: {error}", "Cannot do that: {error}"),
    # Rule titles (contract §2)
    "rule.unit-in-one-group": ("Một đơn vị, một nhóm", "One group per unit"),
    "rule.group-kind": ("Đúng loại nhóm", "Group kind"),
    "rule.group-size": ("Quy mô nhóm", "Group size"),
    "rule.chair-is-member": ("Trưởng là thành viên", "Chair is a member"),
    "rule.chair-rotation": ("Luân phiên trưởng", "Chair rotation"),
    "rule.chair-succession": ("Kế nhiệm trưởng", "Chair succession"),
    "rule.deputy-is-member": ("Phó là thành viên", "Deputy is a member"),
    "rule.one-leader": ("Lãnh đạo phụ trách", "One leader"),
    "rule.one-officer": ("Cán bộ phụ trách", "One officer"),
    "rule.leader-workload": ("Số nhóm lãnh đạo", "Leader workload"),
    "rule.officer-workload": ("Số nhóm cán bộ", "Officer workload"),
    "rule.staff-available": ("Còn công tác", "Staff available"),
    "rule.pins-kept": ("Giữ đúng ghim", "Pins kept"),
    "rule.tag-cohesion": ("Không trộn nhãn", "Tag cohesion"),
    "rule.neighbour-cohesion": ("Giữ giáp ranh", "Keep neighbours"),
    # Violations in Vietnamese (the core's own messages are English)
    "v.no_group": ("{unit} chưa thuộc nhóm nào", ""),
    "v.many_groups": ("{unit} có tên trong nhiều nhóm: {groups}", ""),
    "v.kind": ("{unit} không cùng loại với {group}", ""),
    "v.size": ("{group} có {count} đơn vị (quy định {low}–{high})", ""),
    "v.no_chair": ("{group} chưa có {role}", ""),
    "v.chair_outside": ("{role} {group} là {unit}, không phải thành viên của nhóm", ""),
    "v.rotation": ("{unit} đã làm {role} {group} trong {years} năm gần đây", ""),
    "v.succession": ("{unit} phải làm {role} {group} năm nay (quy định kế nhiệm)", ""),
    "v.no_deputy": ("{group} chưa có {role}", ""),
    "v.deputy_is_chair": ("{unit} vừa là trưởng vừa là phó của {group}", ""),
    "v.deputy_outside": ("{role} {group} là {unit}, không phải thành viên của nhóm", ""),
    "v.no_staff": ("{group} chưa có {role}", ""),
    "v.wrong_role": ("{person} không phải {role} nhưng được phân công ở {group}", ""),
    "v.workload": ("{person} phụ trách {count} nhóm ({groups}); tối đa {limit}", ""),
    "v.unavailable": ("{person} không còn phân công được nhưng đang phụ trách {group}", ""),
    "v.pin": ("Ghim không còn đúng: {subject} – {group}", ""),
}

_GROUP_WORDS: Mapping[str, tuple[str, str]] = {
    "department": ("Khối", "Block"),
}
_KIND_LABELS: Mapping[str, tuple[str, str]] = {
    "department": ("Khối thi đua (sở, ban, ngành)", "Blocks (departments)"),
    "district": ("Cụm thi đua (quận, huyện)", "Clusters (districts)"),
    "commune": ("Cụm thi đua (phường, xã, đặc khu)", "Clusters (communes)"),
}

_current = 0  # index into LANGUAGES


def set_language(code: str) -> None:
    """Choose the interface language: "vi" (the default) or "en"."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    _current = LANGUAGES.index(code)


def language() -> str:
    return LANGUAGES[_current]


def t(key: str, **values: object) -> str:
    """The text for `key` in the current language, with `values` filled in; an unknown key is
    returned as it is, so Textual's own binding descriptions pass through."""
    texts = _TEXTS.get(key)
    if texts is None:
        return key
    text = texts[_current] or texts[0]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    """Whether `key` has a text in the current language (English falls back for a few)."""
    texts = _TEXTS.get(key)
    return texts is not None and bool(texts[_current])


def term_label(name: str) -> str:
    """An objective term or solver stage by name; stages joined by "+" are named in turn."""
    return " + ".join(
        t(f"terms.{part}") if has(f"terms.{part}") else part for part in name.split("+")
    )


def group_word(kind: str) -> str:
    """What a group of this kind is called: Khối for departments, Cụm for the others."""
    return _GROUP_WORDS.get(kind, ("Cụm", "Cluster"))[_current]


def chair_word(kind: str) -> str:
    """Khối trưởng or Cụm trưởng."""
    return f"{group_word(kind)} trưởng" if _current == 0 else "Chair"


def deputy_word(kind: str) -> str:
    """Khối phó or Cụm phó."""
    return f"{group_word(kind)} phó" if _current == 0 else "Deputy"


def kind_label(kind: str) -> str:
    """The heading of a kind of group in the tree."""
    labels = _KIND_LABELS.get(kind)
    return labels[_current] if labels else f"{group_word(kind)} ({kind})"


def localise_binding(binding: Binding) -> Binding:
    """`binding` with its description and tooltip in the current language."""
    return dataclasses.replace(
        binding,
        description=t(binding.description),
        tooltip=t(binding.tooltip) if binding.tooltip else binding.tooltip,
    )
