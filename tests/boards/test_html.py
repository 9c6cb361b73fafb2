"""The sanitiser every CMS body passes through."""

from kium.boards.html import sanitize_html


def test_script_and_style_are_removed_with_their_content():
    clean = sanitize_html("<p>안내</p><script>alert(1)</script><style>p{color:red}</style>")
    assert clean == "<p>안내</p>"


def test_event_attributes_are_removed():
    clean = sanitize_html(
        '<p onclick="steal()">안내</p><img src="https://x.kr/a.png" onerror="x()">'
    )
    assert "onclick" not in clean
    assert "onerror" not in clean
    assert '<img src="https://x.kr/a.png">' in clean


def test_javascript_links_lose_their_address():
    clean = sanitize_html('<a href="javascript:alert(1)">눌러</a><a href="JaVaScRiPt:x">또</a>')
    assert "javascript" not in clean.lower()
    assert "눌러" in clean


def test_images_need_an_http_address():
    assert "src" not in sanitize_html('<img src="data:image/png;base64,AAAA" alt="a">')
    assert "src" not in sanitize_html('<img src="/local.png" alt="a">')
    assert 'src="http://x.kr/a.png"' in sanitize_html('<img src="http://x.kr/a.png">')


def test_structure_is_kept():
    html = (
        "<h2>제목</h2><p><strong>굵게</strong> <em>기울임</em></p><ul><li>하나</li></ul>"
        '<table><thead><tr><th scope="col">구분</th></tr></thead>'
        "<tbody><tr><td>값</td></tr></tbody></table>"
    )
    assert sanitize_html(html) == html
    link = sanitize_html('<a href="/info/contacts/UK/">센터연락처</a>')
    assert 'href="/info/contacts/UK/"' in link


def test_cleaning_twice_changes_nothing():
    once = sanitize_html('<p style="x">가<a href="https://seoul.go.kr" target="_blank">나</a></p>')
    assert "style" not in once
    assert sanitize_html(once) == once
