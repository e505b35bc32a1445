-- Format-specific layout for the book Markdown rendered by cetakbiru/render.py.
-- The Markdown marks layout with fenced-div classes; this filter turns them into Typst (PDF) or
-- OpenXML (DOCX). DOCX markers are bookmarks named cb_* that cetakbiru/docx.py later turns into
-- sections (roman front matter, landscape pages), fields and cached results.

local is_typst = FORMAT:match('typst') ~= nil
local is_docx = FORMAT:match('docx') ~= nil

local function typst(code) return pandoc.RawBlock('typst', code) end
local function openxml(code) return pandoc.RawBlock('openxml', code) end

-- Each marker's bookmark is named `<name>_<number>`, unique in the document as Word requires (a
-- book has several landscape pages and cards); docx.py reads the name without its number.
local marker_id = 9000
local function docx_marker(name)
  marker_id = marker_id + 1
  return openxml(string.format(
    '<w:p><w:pPr><w:pStyle w:val="CbMarker"/></w:pPr><w:bookmarkStart w:id="%d" w:name="%s_%d"/><w:bookmarkEnd w:id="%d"/></w:p>',
    marker_id, name, marker_id, marker_id))
end

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

-- Paragraph styles the DOCX reference document defines, by div class.
local DOCX_STYLE = {
  signature = 'Tanda Tangan',
  ['table-source'] = 'Sumber Tabel',
  enactment = 'Penetapan',
  ['illustrative-note'] = 'Catatan Ilustratif',
  card = 'Kartu',  -- PDF only: the DOCX card is a framed table (below)
}

local function list_field(title, instr, kind)
  -- A heading-like title and a TOC field whose result docx.py fills in.
  return {
    openxml(string.format('<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>', title)),
    docx_marker('cb_field_' .. kind),
    openxml(string.format(
      '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> %s </w:instrText></w:r>'
      .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>%s</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
      instr, 'Daftar ini diisi saat buku dibuat.')),
  }
end

-- `blocks` between an opening and a closing block.
local function wrap(open, blocks, close)
  local out = {open}
  for _, b in ipairs(blocks) do table.insert(out, b) end
  table.insert(out, close)
  return out
end

-- Pictures: only the files the build wrote beside the Markdown (figures/..., the city's checked
-- pictures), by a plain relative path. pandoc runs with --sandbox, so for DOCX this filter reads
-- each picture itself and hands it over in the media bag; nothing else can be read or fetched.
local MIME = {png = 'image/png', jpg = 'image/jpeg', jpeg = 'image/jpeg', svg = 'image/svg+xml'}

local function local_picture(src)
  if not src:match('^[%w][%w._/-]*$') or src:match('%.%.') or src:match('//') then return nil end
  return MIME[(src:match('%.(%w+)$') or ''):lower()]
end

local function embed(src)
  -- true when `src` is one of ours and is now in the media bag
  local mime = local_picture(src)
  if not mime then return false end
  local f = io.open(src, 'rb')
  if not f then return false end
  local data = f:read('a')
  f:close()
  pandoc.mediabag.insert(src, mime, data)
  return true
end

local meta = {}

-- The DOCX cover, from the document metadata: the same lines as the PDF cover that book.typst
-- draws (the programme and the region in capitals, "<cb-author> · <cb-year>" at the foot;
-- docx.py passes cb-author, as pdf.py does).
function docx_cover()
  local function para(style, inlines)
    return pandoc.Div({pandoc.Para(inlines)}, {['custom-style'] = style})
  end
  local function line(style, key, upper)
    local value = meta[key]
    if value == nil then return nil end
    if upper then return para(style, pandoc.Inlines(pandoc.text.upper(pandoc.utils.stringify(value)))) end
    return para(style, pandoc.Inlines(value))
  end
  local function foot()
    if meta['cb-year'] == nil then return nil end
    local text = pandoc.utils.stringify(meta['cb-year'])
    if meta['cb-author'] ~= nil then text = pandoc.utils.stringify(meta['cb-author']) .. ' · ' .. text end
    return pandoc.Div({pandoc.Para(pandoc.Inlines(text))}, {['custom-style'] = 'Sampul Kaki'})
  end
  local function logo()
    if not meta['cb-logo'] then return nil end
    local src = pandoc.utils.stringify(meta['cb-logo']):gsub('%.[sS][vV][gG]$', '.png')
    local alt = meta['cb-logo-alt'] and pandoc.utils.stringify(meta['cb-logo-alt']) or ''
    if not embed(src) then return nil end
    -- pandoc's docx writer takes the picture's description (descr) from its inlines, not from `alt`
    return pandoc.Div({pandoc.Para({pandoc.Image(pandoc.Inlines(alt), src, '', {alt = alt, height = '3cm'})})},
      {['custom-style'] = 'Sampul Logo'})
  end
  -- in the PDF's order; a line whose metadata is absent is left out
  local out = {docx_marker('cb_cover')}
  local function add(item) if item then table.insert(out, item) end end
  add(line('Sampul Program', 'cb-program', true))
  add(line('Sampul Buku', 'cb-book-cover'))
  add(line('Sampul Judul', 'cb-book-title'))
  add(logo())
  add(line('Sampul Daerah', 'cb-region', true))
  add(line('Sampul Keterangan', 'cb-province'))
  add(line('Sampul Keterangan', 'cb-period-line'))
  add(line('Sampul Catatan', 'cb-illustrative'))
  add(foot())
  table.insert(out, docx_marker('cb_cover_end'))
  return out
end

function Meta(m)
  meta = m
  if is_docx then
    -- the cover replaces pandoc's title block; docx.py writes the title into the core properties
    m.title, m.subtitle = nil, nil
    return m
  end
end

-- What surely fits on one page of body text (about 4000 characters fill one): a `keep` block
-- longer than this is left to break (see Div).
local KEEP_PAGE_CHARS = 2400

function Div(el)
  local c = el.classes
  if c:includes('cover') then
    if is_typst then
      -- top-level set rules (not inside a function) so they hold for the rest of the document
      return typst('#cb-cover()\n#set page(numbering: "i")\n#counter(page).update(1)')
    end
    if is_docx then return docx_cover() end
  elseif c:includes('pagebreak') then
    if is_typst then return typst('#pagebreak(weak: true)') end
    if is_docx then return openxml('<w:p><w:r><w:br w:type="page"/></w:r></w:p>') end
  elseif c:includes('body-start') then
    if is_typst then
      return typst('#pagebreak(weak: true)\n#matter.update("body")\n#set page(numbering: "1")\n#counter(page).update(1)')
    end
    if is_docx then return docx_marker('cb_body_start') end
  elseif c:includes('toc') then
    if is_typst then return typst('#cb-outline(' .. typst_string(el.attributes.title) .. ', none, none)') end
    if is_docx then return list_field(el.attributes.title, 'TOC \\o "1-3" \\h \\z \\u', 'toc') end
  elseif c:includes('list-of-tables') then
    if is_typst then
      return typst('#cb-outline(' .. typst_string(el.attributes.title) .. ', table, ' .. typst_string(el.attributes.empty or '') .. ')')
    end
    if is_docx then return list_field(el.attributes.title, 'TOC \\h \\z \\t "Table Caption,1"', 'tables') end
  elseif c:includes('list-of-figures') then
    if is_typst then
      return typst('#cb-outline(' .. typst_string(el.attributes.title) .. ', image, ' .. typst_string(el.attributes.empty or '') .. ')')
    end
    if is_docx then return list_field(el.attributes.title, 'TOC \\h \\z \\t "Image Caption,1"', 'figures') end
  elseif c:includes('landscape') then
    if is_typst then return wrap(typst('#cb-landscape['), el.content, typst(']')) end
    if is_docx then
      return wrap(docx_marker('cb_landscape_start'), el.content, docx_marker('cb_landscape_end'))
    end
  elseif c:includes('keep') then
    -- kept on one page: it moves to the next page whole rather than break (the Ringkasan's
    -- summary of one dimension), as long as it surely fits on one: typst cuts off an unbreakable
    -- block taller than a page, and city text (many or long strategies) can make it so
    if is_typst and utf8.len(pandoc.utils.stringify(el.content)) > KEEP_PAGE_CHARS then return el.content end
    if is_typst then return wrap(typst('#block(breakable: false, width: 100%)['), el.content, typst(']')) end
    if is_docx then return wrap(docx_marker('cb_keep_start'), el.content, docx_marker('cb_keep_end')) end
  elseif c:includes('card') and is_docx then
    -- docx.py draws the frame: one bordered cell (table style Kartu) holding the card's
    -- paragraphs and tables alike; a paragraph border would stop at each table
    return wrap(docx_marker('cb_card_start'), el.content, docx_marker('cb_card_end'))
  else
    for cls, style in pairs(DOCX_STYLE) do
      if c:includes(cls) then
        if is_docx then
          el.attributes['custom-style'] = style
          return el
        end
        if is_typst then return wrap(typst('#cb-block("' .. cls .. '")['), el.content, typst(']')) end
      end
    end
  end
end

local function refused_picture(img)
  io.stderr:write('cetakbiru.lua: gambar ditolak: ' .. img.src:sub(1, 80) .. '\n')
  return pandoc.Str(img.attributes.alt or pandoc.utils.stringify(img.caption))
end

-- pandoc's typst writer drops alt text; PDF/UA needs it (toolchain.md, pitfall 5).
function Image(img)
  if is_docx then
    -- Word gets the PNG rendered from the same SVG (pandoc would need rsvg-convert for SVG).
    img.src = img.src:gsub('%.[sS][vV][gG]$', '.png')
    if not embed(img.src) then return refused_picture(img) end
    return img
  end
  if not local_picture(img.src) then return refused_picture(img) end
  if not is_typst then return nil end
  local alt = img.attributes.alt or pandoc.utils.stringify(img.caption)
  local width = img.attributes.width
  if width and not width:match('^[%d.]+%%?[a-z]*$') then width = nil end
  return pandoc.RawInline('typst', string.format('#box(image(%s, alt: %s%s))',
    typst_string(img.src), typst_string(alt), width and (', width: ' .. width) or ''))
end

-- Links: the web, mail and the book's own anchors only (no file:, javascript:, vbscript:...).
function Link(link)
  local target = link.target:lower()
  if target:match('^https?://') or target:match('^mailto:') or target:match('^#') then return nil end
  io.stderr:write('cetakbiru.lua: tautan ditolak: ' .. link.target:sub(1, 80) .. '\n')
  return link.content
end

-- PDF: a table ends as a block that does not break (typst lays a non-repeated footer out as one
-- unit): its last two rows and its source note ("Sumber: ...", the table-source div after it). So
-- a page never starts with a table's last row alone, nor with its note.
local KEEP_ROWS = 2

local function source_note_cell(div, ncols)
  local inlines = pandoc.Inlines({})
  for _, b in ipairs(div.content) do
    if b.content then
      if #inlines > 0 then inlines:insert(pandoc.Space()) end
      inlines:extend(b.content)
    end
  end
  local cell = pandoc.Cell({pandoc.Plain({pandoc.Emph(inlines)})}, 'AlignLeft', 1, ncols)
  -- no rule under the note (book.typst); it reads as the line under the table
  cell.attributes['typst:stroke'] = 'cb-note-stroke'
  cell.attributes['typst:inset'] = '(x: 0pt, top: 5pt, bottom: 2pt)'
  cell.attributes['typst:text:size'] = '8.5pt'
  return cell
end

-- Rows are only kept together while they surely fit on a page: a cell of more than KEEP_CHARS
-- characters (a long mitigation, hostile text) could be taller than a page, and an unbreakable
-- block taller than a page is cut off by typst, its text lost. Such rows break as usual.
local KEEP_CHARS = 600

local function short_rows(rows, from)
  for i = from, #rows do
    for _, cell in ipairs(rows[i].cells) do
      if utf8.len(pandoc.utils.stringify(cell.contents)) > KEEP_CHARS then return false end
    end
  end
  return true
end

-- A table of up to KEEP_ROWS rows is kept whole instead: with no row left in its body, typst would
-- let its header stay behind at the foot of a page.
local function keep_table_end(tbl, note)
  if #tbl.bodies ~= 1 or #tbl.foot.rows > 0 then return note and {tbl, note} or {tbl} end
  local rows = tbl.bodies[1].body
  local small = #rows <= KEEP_ROWS
  local fits = short_rows(rows, small and 1 or #rows - KEEP_ROWS + 1)
  local foot = {}
  if not small and fits then
    for i = #rows - KEEP_ROWS + 1, #rows do table.insert(foot, rows[i]) end
    for _ = 1, KEEP_ROWS do table.remove(rows) end
  end
  if note then table.insert(foot, pandoc.Row({source_note_cell(note, #tbl.colspecs)})) end
  tbl.bodies[1].body = rows
  tbl.foot = pandoc.TableFoot(foot)
  if small and fits then return {typst('#block(breakable: false, width: 100%)['), tbl, typst(']')} end
  return {tbl}
end

local function keep_tables_together(blocks)
  local out = pandoc.Blocks({})
  local i = 1
  while i <= #blocks do
    local b = blocks[i]
    if b.t == 'Table' then
      local nxt = blocks[i + 1]
      local note = nxt and nxt.t == 'Div' and nxt.classes:includes('table-source') and nxt or nil
      out:extend(keep_table_end(b, note))
      i = i + (note and 2 or 1)
    else
      out:insert(b)
      i = i + 1
    end
  end
  return out
end

-- Meta first, so the cover can read it; tables meet their notes before the divs become Typst.
if is_typst then
  return {{Meta = Meta}, {Blocks = keep_tables_together}, {Div = Div, Image = Image, Link = Link}}
end
return {{Meta = Meta}, {Div = Div, Image = Image, Link = Link}}
