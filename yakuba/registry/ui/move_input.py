"""The form of a 異動 to the service: the typed 異動 (``services.MoveRequest``) built from the
inputs, and the service's messages back next to the inputs they are about.

Dates typed in 和暦 are parsed here (the clerk's message stays on the input); everything else is
checked by the same rules as an API request (住民記録システム標準仕様書 §4), in one round.
"""

from __future__ import annotations

import re
from datetime import date

from yakuba.platform.japanese.wareki import WarekiError
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import addresses, services
from yakuba.registry.codes import NOTIFIED_KINDS, MoveKind
from yakuba.registry.errors import Collector
from yakuba.registry.services.validation import validate_person
from yakuba.registry.ui.fields import parse_date_text
from yakuba.registry.ui.notifier_fields import notifier_request

_PERSON_PATH = re.compile(r"^persons\[(\d+)\](.*)$")


class MoveInput:
    """What ``MoveForm`` hands to the service and takes back (a mixin: the form's inputs are
    ``self.fields``, its kind ``self.kind`` and family ``self.family``)."""

    # -- to the service ---------------------------------------------------------------

    def _date(self, name: str, errors: list) -> date | None:
        f = self.fields.get(name)
        text = f.value if f else self._value(name)
        if not text:
            return None
        try:
            return parse_date_text(text)
        except (WarekiError, ValueError) as exc:
            errors.append((name, str(exc)))
            return None

    def _new_person(self, i: int, errors: list) -> dict:
        p = f"persons[{i}]"
        person: dict = {"atena_no": None}
        for name, f in self.fields.items():
            if not name.startswith(p + "."):
                continue
            key = name[len(p) + 1 :]
            value = f.value
            if key in ("sex", "resident_type"):
                person[key] = int(value) if value in ("1", "2") else None
            elif key == "birth_date":
                # Exact dates go to the service in ISO; 不詳 forms (昭和35年1月上旬) as written.
                try:
                    person[key] = parse_date_text(value).isoformat() if value else None
                except (WarekiError, ValueError):
                    person[key] = value
            elif key == "residence_expiry":
                person[key] = self._date(name, errors)
            elif key == "my_number":
                person[key] = value.replace(" ", "").replace("-", "") or None
            elif key == "previous_address":
                person[key] = value or self._common_previous_address() or None
            else:
                person[key] = value or None
        return person

    def _common_previous_address(self) -> str:
        """The 転入前住所 typed once for the 異動: every person whose own field is empty gets it
        (a family moving in together has one 転出証明書 address, §4.1.1)."""
        f = self.fields.get("previous_address")
        return f.value if f else ""

    def _address_request(self) -> dict | None:
        """The 世帯's new address as typed, or None when nothing was typed."""
        address = {
            k: self.fields[f"household.address.{k}"].value
            for k in ("postal_code", "town_area", "block", "extra")
        }
        if not any(address.values()):
            return None
        # Posted by whoever had the box (管理者 only see it); the service decides who may.
        if self._value("household.address.unlisted"):
            address["unlisted"] = True
        return address

    def _row_is_blank(self, i: int) -> bool:
        p = f"persons[{i}]."
        return not any(
            f.value
            for n, f in self.fields.items()
            if n.startswith(p) and not n.endswith(("sex", "resident_type"))
        )

    def to_request(self) -> tuple[services.MoveRequest | None, list[tuple[str, str]]]:
        """(the typed 異動, every input error found before the service is asked).

        An input the 異動's schema refuses is reported and left out, so the request still
        reaches the rules (``check_move``) with the rest; None only when nothing is left to check."""
        errors: list[tuple[str, str]] = []
        family = self.family
        req: dict = {"kind": self.kind}
        req["move_date"] = self._date("move_date", errors)
        req["notified_date"] = self._date("notified_date", errors)
        self.index_map: dict[int, int] = {}
        household: dict = {}
        if family in ("record", "birth"):
            rows = [0] + [i for i in range(1, self.person_rows) if not self._row_is_blank(i)]
            persons = []
            for j, i in enumerate(rows):
                self.index_map[j] = i
                persons.append(self._new_person(i, errors))
            req["persons"] = persons
        if family == "record":
            if self.kind == MoveKind.MOVE_IN:
                req["origin"] = self.fields["origin"].value or None
            setai_no = self.fields["household.setai_no"].value or None
            household = {"setai_no": setai_no}
            if address := self._address_request():
                household["address"] = address
        elif family == "birth":
            born = req["move_date"]
            for person in req["persons"]:
                person["birth_date"] = born.isoformat() if born else None
            household = {"setai_no": self.household.setai_no, "version": self.household.version}
        elif family in ("remove", "move_out", "regroup"):
            chosen = [
                (i, m) for i, m in enumerate(self.members) if self.fields[f"persons[{i}].atena_no"].value
            ]
            persons = []
            for j, (i, m) in enumerate(chosen):
                self.index_map[j] = i
                person = {"atena_no": m.atena_no}
                rel = self.fields.get(f"persons[{i}].relationship")
                if rel is not None and rel.value:
                    person["relationship"] = rel.value
                persons.append(person)
            req["persons"] = persons
            if not persons:
                errors.append(("persons", "対象者を1人以上選んでください"))
            household = self._head_request()
            if family == "regroup":
                target = self.fields["household.setai_no"].value
                whole = {m.atena_no for _i, m in chosen} == {m.atena_no for m in self.members}
                if target:
                    household["setai_no"] = target
                elif whole and self.household is not None:
                    # The whole 世帯 moves: same 世帯番号, and the version read on 世帯照会.
                    household.update(setai_no=self.household.setai_no, version=self.household.version)
                else:
                    household["setai_no"] = None
                if self.kind == MoveKind.MOVE_WITHIN and (address := self._address_request()):
                    household["address"] = address
            elif self.household is not None:
                household.update(setai_no=self.household.setai_no, version=self.household.version)
            if family == "move_out":
                req["destination"] = self.fields["destination"].value or None
                req["destination_address"] = self.fields["destination_address"].value or None
                req["planned_date"] = req["move_date"]
        elif family == "head":
            household = self._head_request()
            if self.household is not None:
                household.update(setai_no=self.household.setai_no, version=self.household.version)
        elif family in ("modify", "former_surname", "alias"):
            self.index_map[0] = 0
            person = {"atena_no": self.fields["persons[0].atena_no"].value or None}
            for name, f in self.fields.items():
                key = name.removeprefix("persons[0].")
                if key == name or key == "atena_no" or not f.value:
                    continue
                if key == "sex":
                    person[key] = int(f.value) if f.value in ("1", "2") else f.value
                elif key in ("birth_date",):
                    try:
                        person[key] = parse_date_text(f.value).isoformat()
                    except (WarekiError, ValueError):
                        person[key] = f.value
                elif key == "residence_expiry":
                    person[key] = self._date(name, errors)
                else:
                    person[key] = f.value
            if family == "former_surname":
                person.setdefault("former_surname", "")
            if family == "alias":
                person.setdefault("alias", "")
            if not person["atena_no"]:
                errors.append(("persons[0].atena_no", "宛名番号を入力してください"))
            req["persons"] = [person]
        elif family == "cancel":
            req["cancel_move_id"] = self.fields["cancel_move_id"].value or None
        if household:
            req["household"] = household
        if self.kind in NOTIFIED_KINDS:
            req["notifier"] = notifier_request(self)
        if self._value("confirm_duplicates"):
            req["confirm_duplicates"] = True
        request, refused = services.parse_move_leniently({k: v for k, v in req.items() if v is not None})
        return request, errors + [e for e in refused if e not in errors]

    def _head_request(self) -> dict:
        household: dict = {}
        new_head = self.fields["household.new_head"].value
        typed = (self.fields.get(f"household.relationships.{m.atena_no}") for m in self.members)
        relationships = {f.name.rsplit(".", 1)[1]: f.value for f in typed if f is not None and f.value}
        if new_head:
            household["new_head"] = new_head
        if relationships:
            household["relationships"] = relationships
        return household

    # -- errors -----------------------------------------------------------------------

    def form_name(self, service_field: str) -> str:
        """The input a service error path belongs to (person indices back to form rows)."""
        name = self.aliases.get(service_field, service_field)
        m = _PERSON_PATH.match(name)
        if m and getattr(self, "index_map", None):
            i = self.index_map.get(int(m.group(1)), int(m.group(1)))
            name = f"persons[{i}]{m.group(2)}"
        if m and m.group(2) == ".previous_address" and self._common_previous_address():
            own = self.fields.get(name)
            if own is not None and not own.value:
                return "previous_address"  # the person took the 転入前住所 typed for everyone
        return self.aliases.get(name, name)

    def set_errors(self, errors: list[tuple[str, str]]) -> None:
        """Attach every message to its input; all of them also go to the summary at the top."""
        self.summary = []
        for service_field, message in errors:
            name = self.form_name(service_field)
            f = self.fields.get(name)
            if f is None and name.startswith("household.relationships"):
                f = self.fields.get("household.new_head")
            if f is not None and message not in f.errors:
                f.errors.append(message)
            # Whose input it is, first: several persons have a 生年月日 (「2人目（山田 花子）：生年月日」).
            label = (f"{f.person}：{f.label}" if f.person else f.label) if f else ""
            entry = {"id": f.anchor if f else "", "label": label, "message": message}
            if entry not in self.summary:  # one input shared by several persons: said once
                self.summary.append(entry)

    def check_field(self, name: str) -> list[str]:
        """Rules that need only this input (the same validators the service runs)."""
        f = self.fields.get(name)
        if f is None:
            return []
        errors: list[str] = []
        if f.kind == "date" and f.value and not name.endswith("birth_date"):
            try:
                parse_date_text(f.value)
            except (WarekiError, ValueError) as exc:
                errors.append(str(exc))
        m = _PERSON_PATH.match(name)
        if m and m.group(2).startswith("."):
            key = m.group(2)[1:]
            checked = {
                "name",
                "name_kana",
                "birth_date",
                "relationship",
                "my_number",
                "juminhyo_code",
                "former_surname_kana",
                "alias_kana",
            }
            if key in checked and (f.value or f.required):
                prefix = f"persons[{m.group(1)}]"
                rtype = self._value(f"{prefix}.resident_type", "1")
                value = f.value
                if key == "birth_date" and value:
                    try:
                        value = parse_date_text(value).isoformat()
                    except (WarekiError, ValueError):
                        pass
                collector = Collector()
                validate_person(
                    {key: value, "resident_type": int(rtype) if rtype in ("1", "2") else 1},
                    collector,
                    prefix,
                    today=self.today,
                    new=False,
                )
                errors += [msg for fld, msg in collector.errors if fld == name]
        if name.startswith("household.address.") and f.value:
            collector = Collector()
            address = {
                k: self._value(f"household.address.{k}")
                for k in ("postal_code", "town_area", "block", "extra")
            }
            addresses.compose(require_tenant().lg_code, address, collector, "household.address")
            errors += [msg for fld, msg in collector.errors if fld == name]
        return errors
