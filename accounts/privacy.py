"""The privacy policy's first version, so the page is never empty. Staff replace it in the admin
(Accounts → Privacy policy versions) with the district's own text: it is content, written in
Korean as the district publishes it, not interface text."""

import datetime

from django.conf import settings

FIRST_VERSION = "2026-1"


def ensure_policy(**_signal_kwargs):
    """Create the first version when there is none (after every ``migrate``; idempotent)."""
    from accounts.models import PrivacyPolicy

    if PrivacyPolicy.objects.exists():
        return None
    contact = settings.SUPPORT_CONTACT
    return PrivacyPolicy.objects.create(
        version=FIRST_VERSION,
        effective_on=datetime.date(2026, 1, 1),
        collected=(
            "회원: 이름, 휴대전화 번호, 이메일 주소, 비밀번호(암호화 저장).\n"
            "공동체 신청: 대표자의 이름·연락처, 참여자 명단(이름과 역할), 사업계획·예산, 제출 서류(참여자 서명 등).\n"
            "전문지원단 방문 기록: 방문 일시, 참석 인원, 상담 내용, 현장 사진.\n"
            "자동 수집: 접속 기록(로그인 시도의 이메일·IP 주소), 개인정보 열람 기록.\n"
            "주민등록번호는 수집하지 않습니다."
        ),
        purposes=(
            "마을공동체 공모사업의 신청 접수·심사·선정·보조금 교부와 정산, 전문지원단의 코칭과 현장 점검, "
            "신청인에게 진행 상황 안내. 선택 동의한 분께만 교육·공론장·다음 공모 소식 안내."
        ),
        retention=(
            "보유 기간이 지난 개인정보는 매일 자동으로 파기하거나 누구인지 알아볼 수 없게 익명 처리하고, "
            "파기 기록을 남깁니다. 지원 이력(선정·지원금)은 5년 동안 보관한 뒤 익명 통계로만 남깁니다."
        ),
        recipients=(
            "심사위원회(외부 위원): 심사 기간 동안 신청서와 참여자 명단을 열람합니다. "
            "그 밖의 제3자에게는 법령에 근거가 있는 경우를 빼고 제공하지 않습니다."
        ),
        rights=(
            "누구나 자신의 개인정보를 열람·내려받기, 정정, 삭제, 처리정지를 요구할 수 있습니다. "
            "로그인 후 '내 정보' 화면에서 바로 신청할 수 있으며, 구청은 10일 안에 처리 결과를 알려 드립니다. "
            "선택 동의(소식 안내)는 언제든 철회할 수 있습니다. 만 14세 미만 참여자는 법정대리인의 동의가 필요합니다."
        ),
        safety_measures=(
            "직원별 권한 부여, 비밀번호 암호화, 개인정보 열람 기록 2년 이상 보관, 서류는 권한 확인 후에만 제공."
        ),
        officer_name="개인정보 보호책임자 (주민자치과장)",
        officer_department="서구청 주민자치과",
        officer_phone=contact["phone"],
        officer_email=contact["email"],
    )
