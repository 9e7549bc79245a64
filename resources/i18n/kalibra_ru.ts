<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>AnalyticsThresholdsEditor</name>
    <message>
        <location filename="../../app/analytics_settings.py" line="41" />
        <source>A silence lasts at least</source>
        <translation>Тишина длится не меньше</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="42" />
        <source>A hold lasts at least</source>
        <translation>Удержание длится не меньше</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="43" />
        <source>A hold is too long after</source>
        <translation>Удержание слишком долгое после</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="44" />
        <source>Overtalk lasts more than</source>
        <translation>Перебивание длится больше</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="48" />
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="52" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="55" />
        <source>Measure calls again</source>
        <translation>Измерить звонки заново</translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="65" />
        <source>What the talk analytics of every call count. Calls measured before keep their figures until they are measured again.</source>
        <translation>Что считает аналитика разговора каждого звонка. Уже измеренные звонки сохраняют свои показатели, пока их не измерят заново.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/analytics_settings.py" line="84" />
        <source>Calls to measure (not measured yet, or with other thresholds): %n</source>
        <translation>
            <numerusform>Звонков к измерению (ещё не измерены или измерены с другими порогами): %n</numerusform>
            <numerusform>Звонков к измерению (ещё не измерены или измерены с другими порогами): %n</numerusform>
            <numerusform>Звонков к измерению (ещё не измерены или измерены с другими порогами): %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/analytics_settings.py" line="116" />
        <source>Measuring…</source>
        <translation>Измеряем…</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <location filename="../../app/application.py" line="56" />
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../app/application.py" line="76" />
        <source>Something went wrong: {0}

Your saved work is safe. If this happens again, please send the message above to your administrator.</source>
        <translation>Что-то пошло не так: {0}

Сохранённая работа не пострадала. Если это повторится, отправьте это сообщение администратору.</translation>
    </message>
    <message>
        <location filename="../../app/application.py" line="91" />
        <source>Kalibra cannot open its database.

{0}</source>
        <translation>Kalibra не может открыть базу данных.

{0}</translation>
    </message>
    <message>
        <location filename="../../app/application.py" line="94" />
        <source>Kalibra could not start: {0}. The details are in {1}.</source>
        <translation>Kalibra не удалось запустить: {0}. Подробности — в файле {1}.</translation>
    </message>
</context>
<context>
    <name>AuditLogView</name>
    <message>
        <location filename="../../app/audit_log_view.py" line="92" />
        <source>Note contains…</source>
        <translation>Примечание содержит…</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="95" />
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="97" />
        <source>Export CSV…</source>
        <translation>Экспорт в CSV…</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="100" />
        <location filename="../../app/audit_log_view.py" line="108" />
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="100" />
        <location filename="../../app/audit_log_view.py" line="108" />
        <location filename="../../app/audit_log_view.py" line="242" />
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="101" />
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="101" />
        <source>To</source>
        <translation>По</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="108" />
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="109" />
        <source>Record</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="109" />
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="151" />
        <source>All</source>
        <translation>Все</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="156" />
        <source>Everyone</source>
        <translation>Все</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="190" />
        <source>(nobody)</source>
        <translation>(никто)</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="199" />
        <source>Showing {0} of {1} entries, newest first.</source>
        <translation>Показано {0} из {1} записей, сначала новые.</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="220" />
        <source>Acknowledged</source>
        <translation>Ознакомление подтверждено</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="220" />
        <source>Account activated</source>
        <translation>Учётная запись включена</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="221" />
        <source>Account deactivated</source>
        <translation>Учётная запись отключена</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="222" />
        <location filename="../../app/audit_log_view.py" line="243" />
        <source>Answer</source>
        <translation>Ответ</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="222" />
        <source>Answer comment</source>
        <translation>Комментарий к ответу</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="222" />
        <source>Closed</source>
        <translation>Закрыто</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="223" />
        <location filename="../../app/audit_log_view.py" line="244" />
        <source>Comment</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="223" />
        <source>Created</source>
        <translation>Создано</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="223" />
        <source>Dispute decided</source>
        <translation>Решение по спору</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="224" />
        <source>Deleted</source>
        <translation>Удалено</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="224" />
        <source>Meeting notes</source>
        <translation>Итоги встречи</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="224" />
        <source>Disputed</source>
        <translation>Оспорено</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="225" />
        <source>Call details edited</source>
        <translation>Изменены данные звонка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="227" />
        <source>Excerpt exported</source>
        <translation>Выгружен фрагмент записи</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="226" />
        <source>Channels or spoken language set</source>
        <translation>Заданы каналы или язык разговора</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="109" />
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="183" />
        <source>{0} #{1}</source>
        <translation>{0} № {1}</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="226" />
        <source>Speakers swapped</source>
        <translation>Говорящие поменяны местами</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="228" />
        <source>Transcript exported</source>
        <translation>Выгружена расшифровка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="228" />
        <source>Imported</source>
        <translation>Импортировано</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="229" />
        <source>Strength or growth area</source>
        <translation>Сильная сторона или зона роста</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="229" />
        <source>Rubric published</source>
        <translation>Опубликована анкета</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="230" />
        <source>Old data removed</source>
        <translation>Удалены старые данные</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="230" />
        <source>Recording moved</source>
        <translation>Запись перемещена</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="231" />
        <source>Reopened</source>
        <translation>Открыто повторно</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="231" />
        <source>Queued for transcription</source>
        <translation>Поставлено в очередь на расшифровку</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="232" />
        <source>Password reset</source>
        <translation>Пароль сброшен</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="232" />
        <source>Draft saved</source>
        <translation>Черновик сохранён</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="233" />
        <source>Password set</source>
        <translation>Пароль задан</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="233" />
        <source>Retention changed</source>
        <translation>Изменён срок хранения</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="234" />
        <source>Setting changed</source>
        <translation>Изменена настройка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="234" />
        <source>Signed in</source>
        <translation>Вход</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="235" />
        <source>Sign-in failed</source>
        <translation>Неудачный вход</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="235" />
        <source>Sign-in refused</source>
        <translation>Вход отклонён</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="236" />
        <source>Submitted</source>
        <translation>Отправлено</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="236" />
        <source>Call swapped</source>
        <translation>Звонок заменён</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="236" />
        <source>Patient thanked</source>
        <translation>Благодарность пациента</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="237" />
        <source>Changed</source>
        <translation>Изменено</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="242" />
        <source>Team</source>
        <translation>Команда</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="242" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="180" />
        <location filename="../../app/audit_log_view.py" line="243" />
        <source>Setting</source>
        <translation>Настройка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="243" />
        <source>Evaluation</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="244" />
        <source>Review session</source>
        <translation>Сессия оценки</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="245" />
        <source>Session call</source>
        <translation>Звонок сессии</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="245" />
        <source>Session note</source>
        <translation>Заметка сессии</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="246" />
        <source>Goal</source>
        <translation>Цель</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="246" />
        <source>Dispute</source>
        <translation>Спор</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="246" />
        <source>Rubric</source>
        <translation>Анкета</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="247" />
        <source>Rubric version</source>
        <translation>Версия анкеты</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="247" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="248" />
        <source>Transcription job</source>
        <translation>Задание расшифровки</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="248" />
        <source>Transcript</source>
        <translation>Расшифровка</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="248" />
        <source>Calibration round</source>
        <translation>Раунд калибровки</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="254" />
        <source>Export audit log</source>
        <translation>Экспорт журнала аудита</translation>
    </message>
    <message>
        <location filename="../../app/audit_log_view.py" line="271" />
        <source>Exported {0} entries to {1}.</source>
        <translation>Экспортировано записей: {0} в {1}.</translation>
    </message>
</context>
<context>
    <name>CalibrationView</name>
    <message numerus="yes">
        <location filename="../../app/sessions/calibration_view.py" line="140" />
        <location filename="../../app/sessions/calibration_view.py" line="204" />
        <source>%n call(s)</source>
        <translation>
            <numerusform>%n звонок</numerusform>
            <numerusform>%n звонка</numerusform>
            <numerusform>%n звонков</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="79" />
        <source>Close the round</source>
        <translation>Закрыть раунд</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="81" />
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="83" />
        <source>Excel (XLSX)</source>
        <translation>Excel (XLSX)</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="83" />
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="83" />
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="94" />
        <source>Score this call</source>
        <translation>Оценить этот звонок</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="100" />
        <source>Waiting for your blind score</source>
        <translation>Ждут вашей независимой оценки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="117" />
        <source>Round</source>
        <translation>Раунд</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="131" />
        <location filename="../../app/sessions/calibration_view.py" line="160" />
        <location filename="../../app/sessions/calibration_view.py" line="264" />
        <source>Calibration</source>
        <translation>Калибровка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="142" />
        <source>closed</source>
        <translation>закрыт</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="144" />
        <source>waits for your score</source>
        <translation>ждёт вашей оценки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="176" />
        <source>No calibration yet. Press “Start calibration…”, choose a few calls and the supervisors taking part; each scores them blind, then their agreement shows here.</source>
        <translation>Калибровок пока нет. Нажмите «Начать калибровку…», выберите несколько звонков и супервайзеров-участников; каждый оценит их независимо, затем здесь появится их согласованность.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="181" />
        <source>Started by %1 on %2. Scored: %3.</source>
        <translation>Начато: %1, %2. Оценено: %3.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="186" />
        <source>Call #%1 · %2 · %3</source>
        <translation>Звонок № %1 · %2 · %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/calibration_view.py" line="205" />
        <source>%n supervisor(s) submitted</source>
        <translation>
            <numerusform>отправил %n супервайзер</numerusform>
            <numerusform>отправили %n супервайзера</numerusform>
            <numerusform>отправили %n супервайзеров</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="206" />
        <source>Agreement: share of supervisor pairs who gave the same answer. Spread: the highest minus the lowest share of points, in points of percent. Deviation: points of percent from the group mean; positive is more lenient; %1 or more either way is highlighted.</source>
        <translation>Согласие: доля пар супервайзеров, давших одинаковый ответ. Разброс: наибольшая доля баллов минус наименьшая, в процентных пунктах. Отклонение: процентные пункты от среднего по группе; плюс — мягче; от %1 в любую сторону выделено.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="211" />
        <source>Nobody has submitted a score in this round yet.</source>
        <translation>В этом раунде ещё никто не отправил оценку.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="214" />
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="214" />
        <source>Agreement</source>
        <translation>Согласие</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="214" />
        <source>Spread</source>
        <translation>Разброс</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="215" />
        <source>Differ</source>
        <translation>Расходятся</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="219" />
        <source>Overall score</source>
        <translation>Итоговая оценка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_view.py" line="271" />
        <location filename="../../app/sessions/calibration_view.py" line="281" />
        <source>Export report</source>
        <translation>Экспорт отчёта</translation>
    </message>
</context>
<context>
    <name>CallDetailsPane</name>
    <message>
        <location filename="../../app/library_page.py" line="83" />
        <location filename="../../app/library_page.py" line="157" />
        <source>No call selected</source>
        <translation>Звонок не выбран</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="92" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="92" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="93" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="93" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="94" />
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="94" />
        <source>Call kind</source>
        <translation>Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="95" />
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="95" />
        <source>Transcript</source>
        <translation>Расшифровка</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="96" />
        <source>Audio</source>
        <translation>Аудио</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="96" />
        <source>Channels</source>
        <translation>Каналы</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="97" />
        <source>Speakers</source>
        <translation>Говорящие</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="98" />
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="99" />
        <source>First response</source>
        <translation>Первый ответ</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="99" />
        <source>Longest wait</source>
        <translation>Макс. ожидание</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="100" />
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="97" />
        <source>Spoken language</source>
        <translation>Язык разговора</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="100" />
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="111" />
        <source>Open for review</source>
        <translation>Открыть для оценки</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="115" />
        <source>Transcribe again</source>
        <translation>Расшифровать заново</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="117" />
        <source>Export transcript…</source>
        <translation>Экспорт расшифровки…</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="119" />
        <location filename="../../app/library_page.py" line="236" />
        <source>Swap operator and customer</source>
        <translation>Поменять оператора и клиента</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="120" />
        <source>The transcript names the speakers the other way round; kept when the call is transcribed again</source>
        <translation>В расшифровке говорящие перепутаны; исправление сохранится при повторной расшифровке</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="162" />
        <source>Call details</source>
        <translation>Сведения о звонке</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="169" />
        <source>Chat #{0}</source>
        <translation>Чат № {0}</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="170" />
        <source>Call #{0}</source>
        <translation>Звонок № {0}</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="170" />
        <source>E-mail #{0}</source>
        <translation>Письмо № {0}</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="195" />
        <source>stereo</source>
        <translation>стерео</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="195" />
        <source>mono</source>
        <translation>моно</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="197" />
        <source>{0}, {1} Hz, {2}</source>
        <translation>{0}, {1} Гц, {2}</translation>
    </message>
</context>
<context>
    <name>CallTableModel</name>
    <message>
        <location filename="../../app/call_table_model.py" line="201" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="201" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="201" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="201" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="202" />
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="202" />
        <source>Call kind</source>
        <translation>Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="202" />
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="202" />
        <source>Transcript</source>
        <translation>Расшифровка</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="203" />
        <source>1st reply</source>
        <translation>1-й ответ</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="203" />
        <source>Max wait</source>
        <translation>Макс. ожид.</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="204" />
        <source>Operator talk</source>
        <translation>Речь оператора</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="204" />
        <source>Silence</source>
        <translation>Тишина</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="204" />
        <source>Hold</source>
        <translation>Удержание</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="204" />
        <source>Overtalk</source>
        <translation>Перебивания</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="206" />
        <source>Right-click a column's name to show or hide columns</source>
        <translation>Правый щелчок по названию столбца — показать или скрыть столбцы</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="208" />
        <source>Chats and e-mails: working time until the operator answered (the clinic's hours)</source>
        <translation>Чаты и письма: рабочее время до ответа оператора (по часам работы клиники)</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="211" />
        <source>The operator's share of the talk time</source>
        <translation>Доля оператора во времени разговора</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="212" />
        <source>Silence in the call, total: where neither party speaks (time on hold apart)</source>
        <translation>Тишина в звонке, всего: никто из собеседников не говорит (без удержания)</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="213" />
        <source>Time on hold, total</source>
        <translation>Время на удержании, всего</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="214" />
        <source>How many times both parties spoke at once</source>
        <translation>Сколько раз собеседники говорили одновременно</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/call_table_model.py" line="255" />
        <location filename="../../app/library_columns.py" line="51" />
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n сообщение</numerusform>
            <numerusform>%n сообщения</numerusform>
            <numerusform>%n сообщений</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckTrialRow</name>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="28" />
        <source>call #</source>
        <translation>звонок № </translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="29" />
        <source>Test the checks on this call</source>
        <translation>Проверить на этом звонке</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="50" />
        <source>Fix the question's problems first, then test its checks.</source>
        <translation>Сначала исправьте ошибки в вопросе, затем проверяйте.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="53" />
        <source>This question has no checks to test.</source>
        <translation>У этого вопроса нет проверок.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="56" />
        <source>Testing on call #{0}…</source>
        <translation>Проверка на звонке № {0}…</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="68" />
        <source>Call #{0}: no suggestion</source>
        <translation>Звонок № {0}: без подсказки</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/check_trial.py" line="70" />
        <source>Call #{0}: suggests {1}</source>
        <translation>Звонок № {0}: подсказка — {1}</translation>
    </message>
</context>
<context>
    <name>ClinicVocabularyEditor</name>
    <message>
        <location filename="../../app/clinic_vocabulary_editor.py" line="35" />
        <source>The clinic's own words, one per line: its name, doctors, services, drugs. Transcription is given them before every part of a call, so it spells them as you write them here.</source>
        <translation>Слова клиники, по одному в строке: её название, врачи, услуги, препараты. Расшифровка получает их перед каждой частью звонка и пишет их так, как они записаны здесь.</translation>
    </message>
    <message>
        <location filename="../../app/clinic_vocabulary_editor.py" line="39" />
        <source>Family Doctor
Dr Sokolova
Cardiomagnyl</source>
        <translation>Семейный Доктор
доктор Соколова
Кардиомагнил</translation>
    </message>
    <message>
        <location filename="../../app/clinic_vocabulary_editor.py" line="43" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/clinic_vocabulary_editor.py" line="46" />
        <source>Undo changes</source>
        <translation>Отменить изменения</translation>
    </message>
    <message>
        <location filename="../../app/clinic_vocabulary_editor.py" line="89" />
        <source>{0} of {1} characters</source>
        <translation>{0} из {1} символов</translation>
    </message>
    <message>
        <location filename="../../app/clinic_vocabulary_editor.py" line="109" />
        <source>Saved. Calls transcribed from now on use these words; to use them on a call transcribed before, transcribe it again from the library.</source>
        <translation>Сохранено. Звонки, расшифрованные с этого момента, используют эти слова; чтобы применить их к уже расшифрованному звонку, расшифруйте его заново из библиотеки.</translation>
    </message>
</context>
<context>
    <name>CommentEntry</name>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="140" />
        <source>Link the comment to a rubric question</source>
        <translation>Связать комментарий с вопросом анкеты</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="143" />
        <source>What happened here?</source>
        <translation>Что здесь произошло?</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="144" />
        <source>Enter saves, Esc cancels</source>
        <translation>Enter — сохранить, Esc — отмена</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="146" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="167" />
        <source>Not linked to a question</source>
        <translation>Без привязки к вопросу</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="174" />
        <source>Comment on {0}</source>
        <translation>К сообщению: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="175" />
        <source>Comment at {0}</source>
        <translation>Комментарий на {0}</translation>
    </message>
</context>
<context>
    <name>CommentsPanel</name>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="41" />
        <location filename="../../app/review_workspace/comments_panel.py" line="71" />
        <source>No comments yet. Press C to comment at the playhead, or select words in the transcript (click, then Shift+click) and press C.</source>
        <translation>Комментариев пока нет. Нажмите C, чтобы прокомментировать текущий момент, или выделите слова в расшифровке (щелчок, затем Shift+щелчок) и нажмите C.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="45" />
        <location filename="../../app/review_workspace/comments_panel.py" line="73" />
        <source>Comment at playhead (C)</source>
        <translation>Комментарий к моменту (C)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="47" />
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="67" />
        <source>No comments yet. Click a message (or move with J and L) and press C to comment on it.</source>
        <translation>Комментариев пока нет. Выберите сообщение щелчком (или клавишами J и L) и нажмите C, чтобы прокомментировать его.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/comments_panel.py" line="69" />
        <source>Comment on the message (C)</source>
        <translation>Комментарий к сообщению (C)</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../app/conflict_dialog.py" line="14" />
        <source>Changed by someone else</source>
        <translation>Изменено другим пользователем</translation>
    </message>
    <message>
        <location filename="../../app/conflict_dialog.py" line="15" />
        <source>{0} was changed by someone else after you opened it.</source>
        <translation>{0}: кто-то изменил это после того, как вы открыли.</translation>
    </message>
    <message>
        <location filename="../../app/conflict_dialog.py" line="17" />
        <source>Reload to see their version (your unsaved change is dropped), or keep yours (it replaces theirs).</source>
        <translation>Загрузите их версию (ваше несохранённое изменение пропадёт) или оставьте свою (она заменит их).</translation>
    </message>
    <message>
        <location filename="../../app/conflict_dialog.py" line="18" />
        <source>Reload theirs</source>
        <translation>Загрузить их версию</translation>
    </message>
    <message>
        <location filename="../../app/conflict_dialog.py" line="19" />
        <source>Keep mine</source>
        <translation>Оставить мою</translation>
    </message>
</context>
<context>
    <name>ConversationReview</name>
    <message>
        <location filename="../../app/review_workspace/conversation_review.py" line="29" />
        <source>Conversation details</source>
        <translation>Сведения о переписке</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/conversation_review.py" line="29" />
        <source>Call details</source>
        <translation>Сведения о звонке</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/conversation_review.py" line="43" />
        <source>Clinic</source>
        <translation>Клиника</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/conversation_review.py" line="43" />
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
</context>
<context>
    <name>ConversionTab</name>
    <message>
        <location filename="../../app/conversion_view.py" line="41" />
        <source>Set target</source>
        <translation>Задать цель</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="48" />
        <source>Outbound callbacks that ended in a booking. Target</source>
        <translation>Исходящие обзвоны, закончившиеся записью. Цель</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="56" />
        <source>Select a row to see its calls; double-click a call to open it.</source>
        <translation>Выберите строку, чтобы увидеть её звонки; двойной щелчок по звонку открывает его.</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="58" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="58" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="58" />
        <source>Call kind</source>
        <translation>Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="59" />
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="88" />
        <source>No callback with an outcome in this period.</source>
        <translation>За этот период нет обзвонов с записанным результатом.</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="90" />
        <source>Conversion {0} % — target met</source>
        <translation>Конверсия {0} % — цель достигнута</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="91" />
        <source>Conversion {0} % — below the target: look at every step</source>
        <translation>Конверсия {0} % — ниже цели: разберите каждый этап</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="112" />
        <source>no outcome recorded</source>
        <translation>результат не записан</translation>
    </message>
    <message>
        <location filename="../../app/conversion_view.py" line="119" />
        <source>Calls of {0}: {1}</source>
        <translation>Звонки — {0}: {1}</translation>
    </message>
</context>
<context>
    <name>CreateSessionsDialog</name>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="96" />
        <source>New review sessions</source>
        <translation>Новые сессии разбора</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="103" />
        <source>Calls per operator</source>
        <translation>Звонков на оператора</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="108" />
        <source>Share of calls, %</source>
        <translation>Доля звонков, %</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="115" />
        <source>at least </source>
        <translation>не меньше </translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="119" />
        <location filename="../../app/sessions/create_dialog.py" line="123" />
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="122" />
        <source>no limit</source>
        <translation>без ограничения</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="124" />
        <source>Any direction</source>
        <translation>Любое направление</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="125" />
        <source>Any call kind</source>
        <translation>Любой тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="126" />
        <source>Any channel</source>
        <translation>Любой канал</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="127" />
        <source>Chats and e-mails</source>
        <translation>Чаты и письма</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="128" />
        <source>Any outcome</source>
        <translation>Любой итог</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="129" />
        <source>Only transcribed calls</source>
        <translation>Только расшифрованные звонки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="130" />
        <source>Leave out calls already reviewed</source>
        <translation>Не брать уже оценённые звонки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="133" />
        <source>Spread over weeks</source>
        <translation>Равномерно по неделям</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="134" />
        <source>Spread over days</source>
        <translation>Равномерно по дням</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="137" />
        <source>a long silence</source>
        <translation>долгой тишиной</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="137" />
        <source>a long hold</source>
        <translation>долгим удержанием</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="138" />
        <source>heavy overtalk</source>
        <translation>частыми перебиваниями</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="138" />
        <source>an unhappy customer</source>
        <translation>недовольным клиентом</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="139" />
        <source>a failed check</source>
        <translation>проваленной проверкой</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="141" />
        <source>random (recorded with the session)</source>
        <translation>случайный (сохраняется с сессией; тот же номер — та же выборка)</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="169" />
        <source>Select all</source>
        <translation>Выбрать всех</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="169" />
        <source>Clear</source>
        <translation>Снять выбор</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="176" />
        <source>Operators</source>
        <translation>Операторы</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="177" />
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="178" />
        <source>How many</source>
        <translation>Сколько</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="179" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="180" />
        <source>Filters</source>
        <translation>Фильтры</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="187" />
        <source>Prefer calls with</source>
        <translation>Сначала звонки с</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="188" />
        <source>Spread</source>
        <translation>Разброс</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="189" />
        <source>Seed</source>
        <translation>Номер выборки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="190" />
        <source>Rubric</source>
        <translation>Анкета</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="192" />
        <source>Create sessions</source>
        <translation>Создать сессии</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="249" />
        <location filename="../../app/sessions/create_dialog.py" line="254" />
        <location filename="../../app/sessions/create_dialog.py" line="259" />
        <location filename="../../app/sessions/create_dialog.py" line="268" />
        <source>Sessions not created</source>
        <translation>Сессии не созданы</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="260" />
        <source>No call matches the rule in this period. Widen the period or the filters.</source>
        <translation>За этот период ни один звонок не подходит под правило. Расширьте период или ослабьте фильтры.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/create_dialog.py" line="277" />
        <source>%1: only %n matching call(s), %2 asked for.</source>
        <translation>
            <numerusform>%1: под правило подходит только %n звонок, запрошено %2.</numerusform>
            <numerusform>%1: под правило подходят только %n звонка, запрошено %2.</numerusform>
            <numerusform>%1: под правило подходят только %n звонков, запрошено %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/create_dialog.py" line="285" />
        <source>%n picked call(s) would be scored with “%1”, which is not made for their kind:</source>
        <translation>
            <numerusform>%n выбранный звонок будет оценён по анкете «%1», которая не предназначена для его вида:</numerusform>
            <numerusform>%n выбранных звонка будут оценены по анкете «%1», которая не предназначена для их вида:</numerusform>
            <numerusform>%n выбранных звонков будут оценены по анкете «%1», которая не предназначена для их вида:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="289" />
        <source>%1, %2: %3 (fits “%4”)</source>
        <translation>%1, %2: %3 (подходит анкета «%4»)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/create_dialog.py" line="295" />
        <source>…and %n more</source>
        <translation>
            <numerusform>…и ещё %n</numerusform>
            <numerusform>…и ещё %n</numerusform>
            <numerusform>…и ещё %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="296" />
        <source>Create these sessions?</source>
        <translation>Создать эти сессии?</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="298" />
        <source>Create anyway</source>
        <translation>Всё равно создать</translation>
    </message>
    <message>
        <location filename="../../app/sessions/create_dialog.py" line="299" />
        <source>Go back and change</source>
        <translation>Вернуться и изменить</translation>
    </message>
</context>
<context>
    <name>DiscussionTab</name>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="79" />
        <source>No strengths or growth areas yet: add a suggestion from the left or write one below.</source>
        <translation>Сильных сторон и зон роста пока нет: добавьте предложение слева или напишите своими словами ниже.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="80" />
        <source>No strengths or growth areas noted yet.</source>
        <translation>Сильные стороны и зоны роста пока не отмечены.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="83" />
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="85" />
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="90" />
        <source>Add as growth area</source>
        <translation>Добавить как зону роста</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="92" />
        <source>Add as strength</source>
        <translation>Добавить как сильную сторону</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="95" />
        <source>Growth area</source>
        <translation>Зона роста</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="96" />
        <location filename="../../app/sessions/discussion_tab.py" line="171" />
        <location filename="../../app/sessions/discussion_tab.py" line="201" />
        <source>Strength</source>
        <translation>Сильная сторона</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="98" />
        <source>Or write one freely</source>
        <translation>Или напишите своими словами</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="100" />
        <location filename="../../app/sessions/discussion_tab.py" line="254" />
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="106" />
        <source>Notes from the meeting</source>
        <translation>Заметки со встречи</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="107" />
        <source>Save notes</source>
        <translation>Сохранить заметки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="110" />
        <source>Suggested from the lowest scores and the biggest self/supervisor gaps</source>
        <translation>Предложено по самым низким оценкам и самым большим расхождениям самооценки с оценкой супервайзера</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="121" />
        <source>Strengths and growth areas</source>
        <translation>Сильные стороны и зоны роста</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="162" />
        <source>lowest score</source>
        <translation>самая низкая оценка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="162" />
        <source>self/supervisor gap</source>
        <translation>расхождение самооценки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="163" />
        <source>full marks on every call</source>
        <translation>высший балл во всех звонках</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="166" />
        <source>Nothing to suggest yet: suggestions appear once the session's calls are scored.</source>
        <translation>Предложить пока нечего: предложения появятся, когда звонки сессии будут оценены.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="167" />
        <source>Every suggestion is already among the strengths and growth areas.</source>
        <translation>Все предложения уже добавлены в сильные стороны и зоны роста.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="171" />
        <location filename="../../app/sessions/discussion_tab.py" line="201" />
        <source>Growth</source>
        <translation>Зона роста</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="219" />
        <location filename="../../app/sessions/discussion_tab.py" line="291" />
        <location filename="../../app/sessions/discussion_tab.py" line="295" />
        <source>Not saved</source>
        <translation>Не сохранено</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="247" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/sessions/discussion_tab.py" line="300" />
        <source>The meeting notes</source>
        <translation>Заметки встречи</translation>
    </message>
</context>
<context>
    <name>DisputesView</name>
    <message>
        <location filename="../../app/sessions/team_views.py" line="63" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="63" />
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="63" />
        <source>Operator's comment</source>
        <translation>Комментарий оператора</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="63" />
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="64" />
        <source>Was</source>
        <translation>Было</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="64" />
        <source>Now</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="64" />
        <source>Resolution</source>
        <translation>Решение</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="66" />
        <source>Reason (required)</source>
        <translation>Причина (обязательно)</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="67" />
        <source>Accept: change the answer</source>
        <translation>Принять: изменить ответ</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="69" />
        <source>Decline</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="81" />
        <source>No disputes. An operator disputes a supervisor's answer from a session's side-by-side view; the dispute then waits here for a decision.</source>
        <translation>Споров нет. Оператор оспаривает ответ супервайзера на вкладке «Сравнение» сессии; спор ждёт здесь решения.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="83" />
        <source>No disputes. To dispute an answer, choose it in a session's side-by-side view and press “Dispute this answer…”.</source>
        <translation>Споров нет. Чтобы оспорить ответ, выберите его на вкладке «Сравнение» сессии и нажмите «Оспорить этот ответ…».</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="93" />
        <source>Disputes</source>
        <translation>Споры</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="97" />
        <source>open</source>
        <translation>открыта</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="97" />
        <source>accepted</source>
        <translation>принят</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="97" />
        <source>declined</source>
        <translation>отклонён</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="127" />
        <source>Dispute not resolved</source>
        <translation>Спор не решён</translation>
    </message>
</context>
<context>
    <name>EmailLabels</name>
    <message>
        <location filename="../../app/labels.py" line="54" />
        <source>Inbound</source>
        <translation>Входящее</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="55" />
        <source>Outbound</source>
        <translation>Исходящее</translation>
    </message>
</context>
<context>
    <name>EmptyLibraryBanner</name>
    <message>
        <location filename="../../app/main_window.py" line="62" />
        <source>The library is empty</source>
        <translation>Библиотека пуста</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="64" />
        <source>Import your call recordings, or load the demo workspace: synthetic clinic calls with their metadata, to see every screen with real data.</source>
        <translation>Импортируйте записи звонков или загрузите демо-данные: синтезированные звонки клиники с описанием, чтобы увидеть все экраны с настоящими данными.</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="68" />
        <source>Import recordings…</source>
        <translation>Импорт записей…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="70" />
        <source>Load demo workspace</source>
        <translation>Загрузить демо-данные</translation>
    </message>
</context>
<context>
    <name>ExcerptDialog</name>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="54" />
        <source>Export an audio excerpt</source>
        <translation>Сохранить фрагмент записи</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="72" />
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="79" />
        <source>Mute personal data (phone, card, passport and SNILS numbers, e-mails, dates of birth)</source>
        <translation>Заглушить персональные данные (номера телефонов, карт, паспортов и СНИЛС, e-mail, даты рождения)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="86" />
        <source>This call has no transcript yet, so personal data cannot be found: muting will refuse to export until it is transcribed.</source>
        <translation>У звонка ещё нет расшифровки, поэтому персональные данные не найти: с заглушением фрагмент можно сохранить только после расшифровки.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="90" />
        <source>Stretch</source>
        <translation>Фрагмент</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="91" />
        <source>Save as</source>
        <translation>Сохранить в</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="94" />
        <source>Export</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="128" />
        <source>Save the excerpt</source>
        <translation>Сохранить фрагмент</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="129" />
        <source>Audio (*.wav *.flac)</source>
        <translation>Аудио (*.wav *.flac)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="136" />
        <source>length {0}</source>
        <translation>длительность {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="137" />
        <source>the end must come after the start</source>
        <translation>конец должен быть позже начала</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/excerpt_dialog.py" line="146" />
        <source>Save as .wav or .flac</source>
        <translation>Сохраните как .wav или .flac</translation>
    </message>
</context>
<context>
    <name>GoalsTab</name>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="89" />
        <source>Goal</source>
        <translation>Цель</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="89" />
        <source>Target</source>
        <translation>Целевой уровень</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="89" />
        <source>Due</source>
        <translation>Срок</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="89" />
        <source>Measures</source>
        <translation>Что измеряет</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="90" />
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="90" />
        <source>Now</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="90" />
        <source>Trend</source>
        <translation>Динамика</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="95" />
        <source>No goal yet. Choose below what it measures (the overall score, a section or a question), the target and the due date, then press “Set goal”.</source>
        <translation>Целей пока нет. Выберите ниже, что цель измеряет (итоговую оценку, раздел или вопрос), целевое значение и срок, затем нажмите «Поставить цель».</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="97" />
        <source>No goal yet. Your supervisor sets goals at the discussion; their progress shows here.</source>
        <translation>Целей пока нет. Супервайзер ставит цели на обсуждении; здесь будет виден их прогресс.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="106" />
        <source>Goal, e.g. offers an alternative every time</source>
        <translation>Цель, например: всегда предлагает альтернативу</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="114" />
        <source>Set goal</source>
        <translation>Поставить цель</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="124" />
        <source>Met</source>
        <translation>Достигнута</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="124" />
        <source>Not met</source>
        <translation>Не достигнута</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="125" />
        <source>Extend 3 weeks</source>
        <translation>Продлить на 3 недели</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="160" />
        <source>Question: %1</source>
        <translation>Вопрос: %1</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="163" />
        <location filename="../../app/sessions/goals_tab.py" line="169" />
        <source>Overall score</source>
        <translation>Итоговая оценка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="162" />
        <location filename="../../app/sessions/goals_tab.py" line="171" />
        <source>Section: %1</source>
        <translation>Раздел: %1</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="178" />
        <source>open</source>
        <translation>открыта</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="178" />
        <source>met</source>
        <translation>достигнута</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="178" />
        <source>not met</source>
        <translation>не достигнута</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="179" />
        <source>extended</source>
        <translation>продлена</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="218" />
        <source>Goal not set</source>
        <translation>Цель не поставлена</translation>
    </message>
    <message>
        <location filename="../../app/sessions/goals_tab.py" line="225" />
        <source>Not saved</source>
        <translation>Не сохранено</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../app/import_dialog.py" line="66" />
        <source>Import recordings</source>
        <translation>Импорт записей</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="73" />
        <location filename="../../app/import_dialog.py" line="141" />
        <source>Folder with recordings</source>
        <translation>Папка с записями</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="74" />
        <source>Folder…</source>
        <translation>Папка…</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="76" />
        <source>Files…</source>
        <translation>Файлы…</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="85" />
        <source>Fields: {date} {time} {operator} {direction} {phone} {call_kind} {outcome}; a metadata.csv beside the recordings takes precedence.</source>
        <translation>Поля: {date} {time} {operator} {direction} {phone} {call_kind} {outcome}; файл metadata.csv рядом с записями важнее имени файла.</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="89" />
        <source>Recordings:</source>
        <translation>Записи:</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="90" />
        <source>File name template:</source>
        <translation>Шаблон имени файла:</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="93" />
        <source>Metadata file (CSV or XLSX)</source>
        <translation>Файл с данными о звонках (CSV или XLSX)</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="96" />
        <source>WhatsApp chats and e-mails: the clinic's operators</source>
        <translation>Чаты WhatsApp и письма: операторы клиники</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="106" />
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="106" />
        <source>Problem</source>
        <translation>Проблема</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="111" />
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="147" />
        <source>Recordings</source>
        <translation>Записи</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="187" />
        <source>The call kinds were not changed: {0}</source>
        <translation>Виды звонков не изменены: {0}</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="202" />
        <source>Choose a folder or files first.</source>
        <translation>Сначала выберите папку или файлы.</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="246" />
        <source>Importing {0} of {1}: {2}</source>
        <translation>Импорт {0} из {1}: {2}</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="256" />
        <source>Cancelled. </source>
        <translation>Отменено. </translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="273" />
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="258" />
        <location filename="../../app/import_dialog.py" line="279" />
        <source>Import stopped: {0}</source>
        <translation>Импорт остановлен: {0}</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="148" />
        <source>Recordings, chats and e-mails (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac *.txt *.zip *.eml *.mbox);;Audio (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac);;WhatsApp chats and e-mails (*.txt *.zip *.eml *.mbox)</source>
        <translation>Записи, чаты и письма (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac *.txt *.zip *.eml *.mbox);;Аудио (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac);;Чаты WhatsApp и письма (*.txt *.zip *.eml *.mbox)</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="252" />
        <source>Imported: {0}. Already in the library: {1}. Moved: {2}. Skipped: {3}. Problems: {4}. Warnings: {5}.</source>
        <translation>Импортировано: {0}. Уже в библиотеке: {1}. Перемещено: {2}. Пропущено: {3}. Проблем: {4}. Предупреждений: {5}.</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="261" />
        <source>Skipped</source>
        <translation>Пропущен</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="262" />
        <source>Already in the library</source>
        <translation>Уже в библиотеке</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="263" />
        <source>Imported with a warning</source>
        <translation>Импортирован с предупреждением</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="286" />
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
</context>
<context>
    <name>ItemTable</name>
    <message>
        <location filename="../../app/rubric_editor/fields.py" line="173" />
        <source>Remove row</source>
        <translation>Удалить строку</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/labels.py" line="28" />
        <source>#{0}</source>
        <translation>№ {0}</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="57" />
        <source>Inbound</source>
        <translation>Входящий</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="58" />
        <source>Outbound</source>
        <translation>Исходящий</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="63" />
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="63" />
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="63" />
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="71" />
        <source>Inbound booking</source>
        <translation>Входящая запись</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="72" />
        <source>Check-up invitation</source>
        <translation>Приглашение на чек-ап</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="73" />
        <source>Return of a lost patient</source>
        <translation>Возврат пациента</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="74" />
        <source>Continuation of treatment</source>
        <translation>Продолжение лечения</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="75" />
        <source>Information request</source>
        <translation>Справка</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="76" />
        <source>Complaint</source>
        <translation>Жалоба</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="77" />
        <location filename="../../app/labels.py" line="90" />
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="86" />
        <source>Booked</source>
        <translation>Записан</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="87" />
        <source>Not booked</source>
        <translation>Не записан</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="88" />
        <source>Information only</source>
        <translation>Только информация</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="89" />
        <source>Callback agreed</source>
        <translation>Договорились перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="96" />
        <source>Waiting</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="97" />
        <source>Transcribing</source>
        <translation>Расшифровывается</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="98" />
        <source>Transcribed</source>
        <translation>Расшифрован</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="99" />
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="105" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="106" />
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="107" />
        <source>Speaker</source>
        <translation>Кто говорит</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="169" />
        <source>{0} s</source>
        <translation>{0} с</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="172" />
        <source>{0} min</source>
        <translation>{0} мин</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="173" />
        <source>{0} h {1:02d}</source>
        <translation>{0} ч {1:02d}</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="178" />
        <source>One party per channel</source>
        <translation>Каждый собеседник в своём канале</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="179" />
        <source>Same audio on both channels</source>
        <translation>Одна запись в обоих каналах</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="180" />
        <source>One channel silent</source>
        <translation>Один канал пустой</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="181" />
        <source>Mono</source>
        <translation>Моно</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="187" />
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="188" />
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="189" />
        <source>Ukrainian</source>
        <translation>Украинский</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="190" />
        <source>Kazakh</source>
        <translation>Казахский</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="191" />
        <source>German</source>
        <translation>Немецкий</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="201" />
        <source>not known before the transcript</source>
        <translation>станет известно после расшифровки</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="204" />
        <source>set for the calls from {0}</source>
        <translation>задано для звонков из {0}</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="207" />
        <source>set for this call</source>
        <translation>задано для звонка</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="209" />
        <source>detected</source>
        <translation>определено автоматически</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="212" />
        <source>{0} (detected, {1} %)</source>
        <translation>{0} (определён по речи, {1} %)</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="215" />
        <source>{0} (as expected in the settings)</source>
        <translation>{0} (как в настройках)</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="218" />
        <source>{0} (set for this call)</source>
        <translation>{0} (задан для звонка)</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="223" />
        <source>detected with the transcript</source>
        <translation>определится при расшифровке</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="226" />
        <source>Passages decoded again (repetition): {0}</source>
        <translation>Фрагментов распознано заново (повтор): {0}</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="236" />
        <source>from the channels</source>
        <translation>по каналам записи</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="237" />
        <source>by voice: {0} % clear, operator {1} % sure</source>
        <translation>по голосам: чёткость {0} %, оператор {1} %</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="240" />
        <source>swapped by hand</source>
        <translation>поменяны вручную</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <location filename="../../app/library_page.py" line="262" />
        <source>Search by operator or file…</source>
        <translation>Поиск по оператору или файлу…</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="265" />
        <source>All operators</source>
        <translation>Все операторы</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="266" />
        <source>Any direction</source>
        <translation>Любое направление</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="267" />
        <source>Any channel</source>
        <translation>Любой канал</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="268" />
        <source>Chats and e-mails</source>
        <translation>Чаты и письма</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="269" />
        <source>Any call kind</source>
        <translation>Любой тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="270" />
        <source>Any outcome</source>
        <translation>Любой итог</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="271" />
        <source>Any transcript state</source>
        <translation>Расшифровка: любая</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="272" />
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="282" />
        <location filename="../../app/library_page.py" line="287" />
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="283" />
        <source>from </source>
        <translation>от </translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="286" />
        <source>no limit</source>
        <translation>без ограничения</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="288" />
        <source>to </source>
        <translation>до </translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="292" />
        <source>Reset</source>
        <translation>Сбросить</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/library_page.py" line="502" />
        <source>Calls shown: %n</source>
        <translation>
            <numerusform>Показан %n звонок</numerusform>
            <numerusform>Показано %n звонка</numerusform>
            <numerusform>Показано %n звонков</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="517" />
        <source>No calls match these filters. Widen the period or the duration, choose another value in a list, or press Reset.</source>
        <translation>Под эти фильтры не подходит ни один звонок. Расширьте период или длительность, выберите другое значение в списке или нажмите «Сбросить».</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="518" />
        <source>No calls yet. Import recordings from the File menu.</source>
        <translation>Звонков пока нет. Импортируйте записи через меню «Файл».</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="542" />
        <source>Open for review</source>
        <translation>Открыть для оценки</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="543" />
        <source>Transcribe again</source>
        <translation>Расшифровать заново</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="544" />
        <source>Set layout for all calls from this source…</source>
        <translation>Задать каналы для всех звонков из этого источника…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/library_page.py" line="553" />
        <source>Start calibration on %n call(s)…</source>
        <translation>
            <numerusform>Начать калибровку по %n звонку…</numerusform>
            <numerusform>Начать калибровку по %n звонкам…</numerusform>
            <numerusform>Начать калибровку по %n звонкам…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalizedEdit</name>
    <message>
        <location filename="../../app/rubric_editor/fields.py" line="80" />
        <source>In Russian</source>
        <translation>По-русски</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/fields.py" line="80" />
        <source>English translation</source>
        <translation>Перевод на английский</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/main_window.py" line="115" />
        <source>Call library</source>
        <translation>Библиотека звонков</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="118" />
        <source>Review</source>
        <translation>Оценка звонка</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="119" />
        <source>Search</source>
        <translation>Поиск</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="120" />
        <source>Sessions and goals</source>
        <translation>Сессии и цели</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="121" />
        <source>Rubrics</source>
        <translation>Анкеты</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="122" />
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="125" />
        <source>Administration</source>
        <translation>Администрирование</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="157" />
        <source>Signed in: {0} ({1})</source>
        <translation>Вход: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="158" />
        <source>Signed in: {0}</source>
        <translation>Вход: {0}</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="225" />
        <source>Database: this computer</source>
        <translation>База данных: этот компьютер</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="226" />
        <source>Database: {0}</source>
        <translation>База данных: {0}</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="229" />
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="230" />
        <source>&amp;Import recordings…</source>
        <translation>&amp;Импорт записей…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="232" />
        <source>Load &amp;demo workspace</source>
        <translation>Загрузить &amp;демо-данные</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="234" />
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="236" />
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="239" />
        <source>Sign &amp;out…</source>
        <translation>В&amp;ыйти из учётной записи…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="247" />
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="248" />
        <source>&amp;About Kalibra</source>
        <translation>&amp;О программе Kalibra</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="281" />
        <source>Your account was deactivated or its role changed. Sign in again to continue.</source>
        <translation>Ваша учётная запись отключена или её роль изменилась. Войдите снова, чтобы продолжить.</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="332" />
        <source>Transcribe again</source>
        <translation>Расшифровать заново</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/main_window.py" line="365" />
        <source>Channel layout set for %n call(s) from {0}; {1} to be transcribed again.</source>
        <translation>
            <numerusform>Каналы заданы для %n звонка из {0}; расшифровать заново: {1}.</numerusform>
            <numerusform>Каналы заданы для %n звонков из {0}; расшифровать заново: {1}.</numerusform>
            <numerusform>Каналы заданы для %n звонков из {0}; расшифровать заново: {1}.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="371" />
        <location filename="../../app/main_window.py" line="385" />
        <location filename="../../app/main_window.py" line="391" />
        <source>Export transcript</source>
        <translation>Экспорт расшифровки</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="372" />
        <source>Text (*.txt);;Subtitles (*.srt);;JSON with word times (*.json)</source>
        <translation>Текст (*.txt);;Субтитры (*.srt);;JSON с временем слов (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="393" />
        <source>Transcript saved (personal data masked): {0}</source>
        <translation>Расшифровка сохранена (персональные данные скрыты): {0}</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="501" />
        <source>Loading the demo workspace…</source>
        <translation>Загрузка демо-данных…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/main_window.py" line="515" />
        <source>Demo workspace loaded: %n call(s).</source>
        <translation>
            <numerusform>Демо-данные загружены: %n звонок.</numerusform>
            <numerusform>Демо-данные загружены: %n звонка.</numerusform>
            <numerusform>Демо-данные загружены: %n звонков.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="543" />
        <source>About Kalibra</source>
        <translation>О программе Kalibra</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="544" />
        <source>Kalibra 0.1 — call quality review for clinic contact centers.
Speech recognition runs on this computer; recordings never leave it.</source>
        <translation>Kalibra 0.1 — контроль качества звонков для контакт-центров клиник.
Распознавание речи работает на этом компьютере; записи никуда не передаются.</translation>
    </message>
</context>
<context>
    <name>MappingStep</name>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="43" />
        <source>Recording file</source>
        <translation>Файл записи</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="44" />
        <source>Call id</source>
        <translation>Идентификатор звонка</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="45" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="46" />
        <source>Extension</source>
        <translation>Внутренний номер</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="47" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="48" />
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="49" />
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="50" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="51" />
        <source>Caller (source)</source>
        <translation>Кто звонил (источник)</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="52" />
        <source>Called (destination)</source>
        <translation>Куда звонили (назначение)</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="53" />
        <source>Patient's phone</source>
        <translation>Телефон пациента</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="54" />
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="55" />
        <source>Call kind</source>
        <translation>Вид звонка</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="56" />
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="57" />
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="58" />
        <source>Operator's channel</source>
        <translation>Канал оператора</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="59" />
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="60" />
        <source>Keep as a tag</source>
        <translation>Сохранить как тег</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="61" />
        <source>Ignore</source>
        <translation>Не использовать</translation>
    </message>
</context>
<context>
    <name>MeasureFilterBar</name>
    <message>
        <location filename="../../app/analytics_filter.py" line="22" />
        <source>Any talk measure</source>
        <translation>Любой показатель разговора</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="28" />
        <source>from </source>
        <translation>от </translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="28" />
        <source>to </source>
        <translation>до </translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="31" />
        <source>any</source>
        <translation>любое</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="43" />
        <source>Silence, total</source>
        <translation>Тишина, всего</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="44" />
        <source>Longest silence</source>
        <translation>Самая долгая тишина</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="45" />
        <source>Hold, total</source>
        <translation>Удержание, всего</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="46" />
        <source>Longest hold</source>
        <translation>Самое долгое удержание</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="47" />
        <source>Operator talk</source>
        <translation>Речь оператора</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="48" />
        <source>Overtalk, times</source>
        <translation>Перебивания, раз</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="49" />
        <source>Overtalk, total</source>
        <translation>Перебивания, всего</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="50" />
        <source>Operator words per minute</source>
        <translation>Темп оператора, слов в минуту</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="51" />
        <source>Operator's first word</source>
        <translation>Первое слово оператора</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="52" />
        <source>Customer complaints</source>
        <translation>Жалобы клиента</translation>
    </message>
    <message>
        <location filename="../../app/analytics_filter.py" line="62" />
        <source> s</source>
        <translation> с</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../../app/review_workspace/message_view.py" line="43" />
        <source>Notice</source>
        <translation>Уведомление</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/message_view.py" line="61" />
        <source>Attachment: {0}</source>
        <translation>Вложение: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/message_view.py" line="63" />
        <source>Signature</source>
        <translation>Подпись</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/message_view.py" line="63" />
        <source>Quoted earlier mail</source>
        <translation>Цитата предыдущего письма</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/review_workspace/message_view.py" line="67" />
        <source>Personal data hidden: %n</source>
        <translation>
            <numerusform>Скрыто персональных данных: %n</numerusform>
            <numerusform>Скрыто персональных данных: %n</numerusform>
            <numerusform>Скрыто персональных данных: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/review_workspace/message_view.py" line="76" />
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n строка</numerusform>
            <numerusform>%n строки</numerusform>
            <numerusform>%n строк</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/review_workspace/message_view.py" line="101" />
        <source>%n comment(s)</source>
        <translation>
            <numerusform>%n комментарий</numerusform>
            <numerusform>%n комментария</numerusform>
            <numerusform>%n комментариев</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <location filename="../../app/review_workspace/message_view.py" line="138" />
        <source>Replied after {0} of working time</source>
        <translation>Ответ через {0} рабочего времени</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/message_view.py" line="144" />
        <source>Replied after {0} of working time — the longest wait</source>
        <translation>Ответ через {0} рабочего времени — самое долгое ожидание</translation>
    </message>
</context>
<context>
    <name>MetadataMappingStep</name>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="93" />
        <source>None: names of the recordings only</source>
        <translation>Нет: только имена файлов записей</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="95" />
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="98" />
        <source>Guess from the header</source>
        <translation>Угадать по заголовку</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="99" />
        <source>Asterisk CDR (Master.csv)</source>
        <translation>Asterisk CDR (Master.csv)</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="99" />
        <source>FreePBX CDR report</source>
        <translation>Отчёт CDR FreePBX</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="109" />
        <source>Column</source>
        <translation>Столбец</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="109" />
        <source>Stored as</source>
        <translation>Сохранить как</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="109" />
        <source>First value</source>
        <translation>Первое значение</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="126" />
        <source>List</source>
        <translation>Список</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="126" />
        <source>Value in the file</source>
        <translation>Значение в файле</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="126" />
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="127" />
        <source>What to do</source>
        <translation>Что сделать</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="142" />
        <source>As they will be stored:</source>
        <translation>Как будет сохранено:</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="151" />
        <source>No file with the calls' data: the operator, date and direction are read from the recordings' names. Choose a CSV or XLSX file to see its columns here.</source>
        <translation>Файла с данными о звонках нет: оператор, дата и направление берутся из имён файлов записей. Выберите файл CSV или XLSX, чтобы увидеть здесь его столбцы.</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="153" />
        <source>The file's first calls show here as they will be stored.</source>
        <translation>Здесь появятся первые звонки из файла — так, как они будут сохранены.</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="166" />
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="169" />
        <source>Metadata file</source>
        <translation>Файл с данными о звонках</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="170" />
        <source>Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm)</source>
        <translation>Таблицы (*.csv *.tsv *.txt *.xlsx *.xlsm)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/metadata_mapping_step.py" line="255" />
        <source>{0}: %n row(s); problems: {1}; new call kinds and outcomes: {2}.</source>
        <translation>
            <numerusform>{0}: %n строка; проблем: {1}; новых видов звонков и итогов: {2}.</numerusform>
            <numerusform>{0}: %n строки; проблем: {1}; новых видов звонков и итогов: {2}.</numerusform>
            <numerusform>{0}: %n строк; проблем: {1}; новых видов звонков и итогов: {2}.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="274" />
        <source>Call kind</source>
        <translation>Вид звонка</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="274" />
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="282" />
        <source>Add to the workspace's list</source>
        <translation>Добавить в список рабочего пространства</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="283" />
        <source>Keep on the calls for now</source>
        <translation>Пока оставить у звонков как есть</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="285" />
        <source>Same as: {0}</source>
        <translation>То же, что: {0}</translation>
    </message>
    <message>
        <location filename="../../app/metadata_mapping_step.py" line="289" />
        <source>Only an administrator changes the workspace's lists.</source>
        <translation>Списки рабочего пространства меняет только администратор.</translation>
    </message>
</context>
<context>
    <name>MetadataPanel</name>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="62" />
        <source>Detect from the audio</source>
        <translation>Определять по записи</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="64" />
        <source>Detect per call</source>
        <translation>Определять по речи</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="65" />
        <source>Changing this transcribes the call again.</source>
        <translation>После изменения звонок будет расшифрован заново.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="69" />
        <source>Comma-separated, e.g. cardiology, first visit</source>
        <translation>Через запятую, например: кардиология, первичный</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="74" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="75" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="76" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="77" />
        <location filename="../../app/review_workspace/metadata_panel.py" line="118" />
        <source>Call kind</source>
        <translation>Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="78" />
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="79" />
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="80" />
        <source>Channels</source>
        <translation>Каналы</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="81" />
        <source>Spoken language</source>
        <translation>Язык разговора</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="82" />
        <source>Save details</source>
        <translation>Сохранить данные</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="118" />
        <source>Request kind</source>
        <translation>Тип обращения</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="122" />
        <source>{0} · {1} messages · {2}</source>
        <translation>{0} · сообщений: {1} · {2}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="125" />
        <source>{0} · {1} · {2} Hz, channels: {3} · {4}</source>
        <translation>{0} · {1} · {2} Гц, каналов: {3} · {4}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="132" />
        <source>Only supervisors can correct a conversation's details.</source>
        <translation>Исправлять данные обращения могут только супервайзеры.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="133" />
        <source>Only supervisors can correct a call's details.</source>
        <translation>Исправлять данные звонка могут только супервайзеры.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="152" />
        <source>Nothing changed.</source>
        <translation>Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/metadata_panel.py" line="158" />
        <source>Details saved.</source>
        <translation>Данные сохранены.</translation>
    </message>
</context>
<context>
    <name>MyQueuePicker</name>
    <message>
        <location filename="../../app/review_workspace/queue_picker.py" line="26" />
        <source>Calls of open review sessions and calibration rounds you still have to score</source>
        <translation>Звонки открытых сессий и калибровок, которые вам ещё нужно оценить</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/queue_picker.py" line="36" />
        <source>My queue ({0})</source>
        <translation>Моя очередь ({0})</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/queue_picker.py" line="39" />
        <source>Unknown operator</source>
        <translation>Оператор не указан</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/queue_picker.py" line="41" />
        <source>calibration round #{0}</source>
        <translation>калибровка № {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/queue_picker.py" line="43" />
        <source>self-review</source>
        <translation>самооценка</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/queue_picker.py" line="43" />
        <source>session #{0}</source>
        <translation>сессия № {0}</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../app/operations.py" line="186" />
        <source>Something went wrong ({0}). The details are in the log file.</source>
        <translation>Что-то пошло не так ({0}). Подробности — в файле журнала.</translation>
    </message>
    <message>
        <location filename="../../app/operations.py" line="176" />
        <source>Kalibra</source>
        <translation>Kalibra</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message numerus="yes">
        <location filename="../../app/password_dialog.py" line="18" />
        <location filename="../../app/password_dialog.py" line="42" />
        <source>At least %n characters</source>
        <translation>
            <numerusform>Не меньше %n символа</numerusform>
            <numerusform>Не меньше %n символов</numerusform>
            <numerusform>Не меньше %n символов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/password_dialog.py" line="28" />
        <source>New password:</source>
        <translation>Новый пароль:</translation>
    </message>
    <message>
        <location filename="../../app/password_dialog.py" line="29" />
        <source>Repeat it:</source>
        <translation>Ещё раз:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/password_dialog.py" line="44" />
        <source>At most %n characters</source>
        <translation>
            <numerusform>Не больше %n символа</numerusform>
            <numerusform>Не больше %n символов</numerusform>
            <numerusform>Не больше %n символов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/password_dialog.py" line="46" />
        <source>The two entries differ</source>
        <translation>Пароли не совпадают</translation>
    </message>
</context>
<context>
    <name>PatientThreadPanel</name>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="21" />
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="21" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="21" />
        <source>Call kind</source>
        <translation>Вид звонка</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="21" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="22" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="24" />
        <source>No other calls with this number.</source>
        <translation>Других звонков с этим номером нет.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="38" />
        <source>Calls with this patient ({0})</source>
        <translation>Звонки этого пациента ({0})</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/patient_thread_panel.py" line="50" />
        <source>The call you are reviewing</source>
        <translation>Звонок, который вы сейчас оцениваете</translation>
    </message>
</context>
<context>
    <name>PlaybackBar</name>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="72" />
        <source>−5 s</source>
        <translation>−5 с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="73" />
        <source>+5 s</source>
        <translation>+5 с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="75" />
        <source>Playback speed: [ slower, ] faster</source>
        <translation>Скорость: [ медленнее, ] быстрее</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="81" />
        <source>Export excerpt…</source>
        <translation>Сохранить фрагмент…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="82" />
        <source>Save the selected words, the chosen comment or a stretch you set as a WAV or FLAC file (Ctrl+E)</source>
        <translation>Сохранить выделенные слова, выбранный комментарий или заданный отрезок в файл WAV или FLAC (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="100" />
        <location filename="../../app/review_workspace/review_bars.py" line="105" />
        <source>❚❚  Pause</source>
        <translation>❚❚  Пауза</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="100" />
        <location filename="../../app/review_workspace/review_bars.py" line="105" />
        <source>▶  Play</source>
        <translation>▶  Слушать</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <location filename="../../app/review_workspace/player.py" line="74" />
        <source>No audio output: QtMultimedia is not available, playback is silent.</source>
        <translation>Нет вывода звука: QtMultimedia недоступен, воспроизведение без звука.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/player.py" line="83" />
        <source>No audio output on this computer: playback is silent, the transcript still follows.</source>
        <translation>На этом компьютере нет вывода звука: воспроизведение идёт без звука, расшифровка всё равно следует за ним.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/player.py" line="116" />
        <source>The recording is missing: {0}</source>
        <translation>Запись не найдена: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/player.py" line="210" />
        <source>The recording cannot be played ({0}); playback is silent.</source>
        <translation>Запись не воспроизводится ({0}); воспроизведение без звука.</translation>
    </message>
</context>
<context>
    <name>QuestionCard</name>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="48" />
        <source>Fatal</source>
        <translation>Фатальный</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="50" />
        <source>The answer “No” sets the whole score to 0.</source>
        <translation>Ответ «Нет» обнуляет всю оценку.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="53" />
        <source>Critical</source>
        <translation>Критичный</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="55" />
        <source>Counts toward the critical score: anything short of full marks fails it.</source>
        <translation>Входит в критичную оценку: всё, что ниже полного балла, — не пройдено.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="67" />
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="67" />
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="80" />
        <source>N   Not applicable</source>
        <translation>N   Неприменимо</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="90" />
        <source>Type the note and press Enter</source>
        <translation>Напишите заметку и нажмите Enter</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="91" />
        <source>Comment on this answer</source>
        <translation>Комментарий к ответу</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/question_card.py" line="97" />
        <source>A comment is required for this answer: press Enter to write it.</source>
        <translation>К этому ответу нужен комментарий: нажмите Enter, чтобы написать его.</translation>
    </message>
</context>
<context>
    <name>QuestionForm</name>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="41" />
        <source>Lower-case latin letters, digits, '_' and '-'; stored with every answer.</source>
        <translation>Строчные латинские буквы, цифры, «_» и «-»; хранится с каждым ответом.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="43" />
        <source>Yes / no</source>
        <translation>Да / нет</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="43" />
        <source>Scale</source>
        <translation>Шкала</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="44" />
        <source>Choice</source>
        <translation>Выбор</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="44" />
        <source>Note (does not score)</source>
        <translation>Заметка (без баллов)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="51" />
        <source>default</source>
        <translation>по умолчанию</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="52" />
        <source>The most the question earns. Default: yes/no 1, a scale its span, a choice its best option.</source>
        <translation>Наибольший балл за вопрос. По умолчанию: да/нет — 1, шкала — её размах, выбор — лучший вариант.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="54" />
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="54" />
        <location filename="../../app/rubric_editor/question_form.py" line="57" />
        <source>Label (RU)</source>
        <translation>Подпись (RU)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="55" />
        <location filename="../../app/rubric_editor/question_form.py" line="58" />
        <source>Label (EN)</source>
        <translation>Подпись (EN)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="56" />
        <location filename="../../app/rubric_editor/question_form.py" line="59" />
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="56" />
        <source>Add level</source>
        <translation>Добавить уровень</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="57" />
        <source>Key</source>
        <translation>Ключ</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="59" />
        <source>Add option</source>
        <translation>Добавить вариант</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="61" />
        <location filename="../../app/rubric_editor/question_form.py" line="173" />
        <source>Answers: yes or no.</source>
        <translation>Ответ: да или нет.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="65" />
        <source>&amp;N/A allowed</source>
        <translation>Допускается &amp;«н/п»</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="66" />
        <source>Co&amp;mment required below</source>
        <translation>Ко&amp;мментарий обязателен ниже</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="70" />
        <source>Share of the question's points; 100 % means anything short of full marks needs a comment.</source>
        <translation>Доля баллов вопроса; 100 % — комментарий нужен при любом ответе ниже максимума.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="76" />
        <source>&amp;Critical</source>
        <translation>&amp;Критичный</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="77" />
        <source>Counts toward the separate compliance score.</source>
        <translation>Учитывается в отдельной оценке соблюдения обязательных требований.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="78" />
        <source>&amp;Fatal: “no” sets the score to 0</source>
        <translation>&amp;Фатальный: ответ «нет» обнуляет оценку</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="79" />
        <source>Yes/no questions only. The computed score is kept and shown.</source>
        <translation>Только для вопросов да/нет. Рассчитанная оценка сохраняется и показывается.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="84" />
        <source>No checks. For example:
- id: own_name
  phrases: [меня зовут, my name is]
  within_s: 20</source>
        <translation>Проверок нет. Например:
- id: own_name
  phrases: [меня зовут, my name is]
  within_s: 20</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="86" />
        <source>Phrases that must or must not be said (by: operator or customer; within_s; after; says: must_not) and measures (kind: analytics) that suggest an answer to the reviewer.</source>
        <translation>Фразы, которые должны или не должны прозвучать (by: operator или customer; within_s; after; says: must_not), и показатели (kind: analytics), по которым проверяющему подсказывается ответ.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="99" />
        <source>&amp;Id</source>
        <translation>&amp;Код</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="100" />
        <source>T&amp;ype</source>
        <translation>Т&amp;ип</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="101" />
        <source>&amp;Text</source>
        <translation>&amp;Текст</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="102" />
        <source>&amp;Help</source>
        <translation>&amp;Подсказка</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="103" />
        <source>&amp;Points</source>
        <translation>&amp;Баллы</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="104" />
        <source>Answers</source>
        <translation>Ответы</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="110" />
        <source>Chec&amp;ks</source>
        <translation>Про&amp;верки</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="172" />
        <source>Answers: free text, not scored.</source>
        <translation>Ответ: свободный текст, без баллов.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="214" />
        <source>The checks are not valid YAML (line {0}); the last valid ones are kept.</source>
        <translation>Проверки — не корректный YAML (строка {0}); сохранены последние корректные.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/question_form.py" line="219" />
        <source>Checks are a list: start each with “- id: …”.</source>
        <translation>Проверки — это список: начинайте каждую с «- id: …».</translation>
    </message>
</context>
<context>
    <name>QuestionTrendTab</name>
    <message>
        <location filename="../../app/report_views.py" line="205" />
        <source>Share of evaluations with full points on each question, week by week; in brackets, how many evaluations answered it.</source>
        <translation>Доля оценок с полным баллом по каждому вопросу, по неделям; в скобках — сколько оценок ответили на вопрос.</translation>
    </message>
    <message>
        <location filename="../../app/report_views.py" line="209" />
        <source>No submitted evaluations in this period: each question's pass rate comes here, week by week. Widen the period or the filters.</source>
        <translation>За этот период нет отправленных оценок: здесь будет доля полных баллов по каждому вопросу, по неделям. Расширьте период или ослабьте фильтры.</translation>
    </message>
    <message>
        <location filename="../../app/report_views.py" line="220" />
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
</context>
<context>
    <name>RecognitionView</name>
    <message>
        <location filename="../../app/sessions/team_views.py" line="135" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="135" />
        <source>Calls with thanks from patients</source>
        <translation>Звонки с благодарностью пациентов</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="137" />
        <source>No thanks from patients yet. Mark a call where the patient thanked the operator in the review window; the operators' counts show here.</source>
        <translation>Благодарностей пациентов пока нет. Отметьте в окне оценки звонок, где пациент поблагодарил оператора; здесь появятся счётчики по операторам.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/team_views.py" line="147" />
        <source>Thanks from patients</source>
        <translation>Благодарности пациентов</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="91" />
        <source>Reopen the evaluation</source>
        <translation>Вернуть оценку в работу</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="92" />
        <source>The evaluation goes back to draft. The reason is kept in the audit trail.</source>
        <translation>Оценка снова станет черновиком. Причина сохраняется в журнале изменений.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="95" />
        <source>Why is it reopened? e.g. the operator disputed question 4</source>
        <translation>Почему оценка возвращается? Например: оператор оспорил вопрос 4</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="98" />
        <source>Reopen</source>
        <translation>Вернуть в работу</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../app/reports_page.py" line="85" />
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="89" />
        <source>Last 4 weeks</source>
        <translation>Последние 4 недели</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="89" />
        <source>This month</source>
        <translation>Этот месяц</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="89" />
        <source>Last month</source>
        <translation>Прошлый месяц</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="90" />
        <source>This quarter</source>
        <translation>Этот квартал</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="90" />
        <source>This year</source>
        <translation>Этот год</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="90" />
        <source>Custom</source>
        <translation>Свой период</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="103" />
        <source>All channels</source>
        <translation>Все каналы</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="106" />
        <source>Chats and e-mails</source>
        <translation>Чаты и письма</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="107" />
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="119" />
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="125" />
        <source>Team</source>
        <translation>Команда</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="127" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="151" />
        <source>List free-text notes one by one (personal data masked)</source>
        <translation>Показывать свободные заметки по отдельности (персональные данные скрыты)</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="155" />
        <source>Rubric questions named as growth areas in review sessions, with the share of evaluations that earned full points on them.</source>
        <translation>Вопросы анкеты, названные зонами роста на разборах, и доля оценок с полным баллом по ним.</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="171" />
        <source>Callback conversion</source>
        <translation>Конверсия обзвона</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="172" />
        <source>Agreement with suggestions</source>
        <translation>Согласие с подсказками</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="369" />
        <source>Review sessions: {0} · evaluations: {1} · changes are against {2} – {3}</source>
        <translation>Разборов: {0} · оценок: {1} · изменения относительно {2} – {3}</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="167" />
        <source>Growth areas</source>
        <translation>Зоны роста</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="111" />
        <source>Excel workbook with every report (XLSX)…</source>
        <translation>Книга Excel со всеми отчётами (XLSX)…</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="112" />
        <source>PDF document with every report…</source>
        <translation>Документ PDF со всеми отчётами…</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="113" />
        <source>CSV of this tab, for spreadsheets…</source>
        <translation>CSV этой вкладки для таблиц…</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="168" />
        <source>Operator scorecards</source>
        <translation>Показатели операторов</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="169" />
        <source>Score trend</source>
        <translation>Динамика балла</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="170" />
        <source>Pass rate by question</source>
        <translation>Проходимость по вопросам</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="173" />
        <source>Talk</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="215" />
        <source>No suggested answers in this period: here comes how often reviewers took the rubric checks' suggestions, question by question. Widen the period, or review calls with a rubric that has checks.</source>
        <translation>За этот период нет подсказанных ответов: здесь будет видно, как часто проверяющие принимали подсказки проверок анкеты, по каждому вопросу. Расширьте период или оценивайте звонки по анкете с проверками.</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="270" />
        <source>All teams</source>
        <translation>Все команды</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="285" />
        <source>All operators</source>
        <translation>Все операторы</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="375" />
        <source>No growth areas in this period: none was named in a review session's discussion. Widen the period, or name them on a session's Discussion tab.</source>
        <translation>Зон роста за этот период нет: ни одна не названа при обсуждении сессий. Расширьте период или назовите их на вкладке «Обсуждение» сессии.</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="447" />
        <source>Excel workbook (*.xlsx)</source>
        <translation>Книга Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="447" />
        <source>PDF document (*.pdf)</source>
        <translation>Документ PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="448" />
        <source>CSV file (*.csv)</source>
        <translation>Файл CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="449" />
        <source>Export report</source>
        <translation>Экспорт отчёта</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="473" />
        <source>Exporting…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="480" />
        <source>Open file</source>
        <translation>Открыть файл</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="480" />
        <source>Show folder</source>
        <translation>Показать папку</translation>
    </message>
    <message>
        <location filename="../../app/reports_page.py" line="483" />
        <source>Saved to {0}</source>
        <translation>Сохранено: {0}</translation>
    </message>
</context>
<context>
    <name>ReviewActions</name>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="126" />
        <source>The comment is kept and saved with the answer.</source>
        <translation>Комментарий сохранится вместе с ответом.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="151" />
        <source>All changes saved · {0}</source>
        <translation>Все изменения сохранены · {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="164" />
        <location filename="../../app/review_workspace/review_actions.py" line="182" />
        <source>Not submitted yet: {0}</source>
        <translation>Пока не отправлено: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="192" />
        <source>Evaluation submitted.</source>
        <translation>Оценка отправлена.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="212" />
        <source>Reopened: the evaluation is a draft again.</source>
        <translation>Оценка снова в работе (черновик).</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="296" />
        <source>The call's details</source>
        <translation>Данные звонка</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="361" />
        <source>The excerpt was not saved: {0}</source>
        <translation>Фрагмент не сохранён: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="364" />
        <source>Saving the excerpt…</source>
        <translation>Сохраняем фрагмент…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="370" />
        <source>Excerpt saved: {0}</source>
        <translation>Фрагмент сохранён: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="373" />
        <source>muted: {0}</source>
        <translation>заглушено: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="375" />
        <source>no personal data found in it</source>
        <translation>персональных данных в нём не найдено</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_actions.py" line="377" />
        <source>personal data not muted</source>
        <translation>персональные данные не заглушены</translation>
    </message>
</context>
<context>
    <name>ReviewHeader</name>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="25" />
        <source>Previous call (Alt+←)</source>
        <translation>Предыдущий звонок (Alt+←)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="27" />
        <source>Next call (Alt+→)</source>
        <translation>Следующий звонок (Alt+→)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="39" />
        <source>Shortcuts  ?</source>
        <translation>Клавиши  ?</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="42" />
        <source>The patient thanked the operator: counted in recognition reports</source>
        <translation>Пациент поблагодарил оператора: учитывается в отчётах о благодарностях</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="64" />
        <source>♥ Patient thanked</source>
        <translation>♥ Благодарность</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_bars.py" line="64" />
        <source>♡ Patient thanked</source>
        <translation>♡ Благодарность</translation>
    </message>
</context>
<context>
    <name>ReviewHost</name>
    <message>
        <location filename="../../app/review_host.py" line="22" />
        <location filename="../../app/review_host.py" line="46" />
        <source>My queue</source>
        <translation>Моя очередь</translation>
    </message>
    <message>
        <location filename="../../app/review_host.py" line="54" />
        <source>Call #{0} · {1} · {2} · calibration round #{3}</source>
        <translation>Звонок № {0} · {1} · {2} · калибровка № {3}</translation>
    </message>
    <message>
        <location filename="../../app/review_host.py" line="57" />
        <source>self-review</source>
        <translation>самооценка</translation>
    </message>
    <message>
        <location filename="../../app/review_host.py" line="57" />
        <source>to score</source>
        <translation>оценить</translation>
    </message>
    <message>
        <location filename="../../app/review_host.py" line="58" />
        <source>Call #{0} · {1} · {2} · session #{3} · {4}</source>
        <translation>Звонок № {0} · {1} · {2} · сессия № {3} · {4}</translation>
    </message>
    <message>
        <location filename="../../app/review_host.py" line="63" />
        <source>Calls of your review sessions and calibration rounds that still wait for your score. Double-click or press Enter to open one; you can also open any call from the library, a search or a session.</source>
        <translation>Звонки ваших сессий и калибровок, которые ещё ждут вашей оценки. Дважды щёлкните или нажмите Enter, чтобы открыть; любой звонок можно открыть и из библиотеки, поиска или сессии.</translation>
    </message>
    <message>
        <location filename="../../app/review_host.py" line="67" />
        <source>Nothing waits for your score. Open a call from the library, a search result or a review session.</source>
        <translation>Ничего не ждёт вашей оценки. Откройте звонок из библиотеки, результатов поиска или сессии разбора.</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="149" />
        <source>Submit  Ctrl+Enter</source>
        <translation>Отправить  Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="151" />
        <source>Reopen…</source>
        <translation>Вернуть в работу…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="173" />
        <source>Scorecard</source>
        <translation>Анкета</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="174" />
        <location filename="../../app/review_workspace/review_window.py" line="455" />
        <source>Comments</source>
        <translation>Комментарии</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="176" />
        <source>Call details</source>
        <translation>Сведения о звонке</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="243" />
        <source>Unknown operator</source>
        <translation>Оператор не указан</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="247" />
        <source>date unknown</source>
        <translation>дата неизвестна</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="274" />
        <source>This conversation is part of review session #{0}: your evaluation counts for it.</source>
        <translation>Переписка входит в сессию разбора № {0}: ваша оценка засчитывается в неё.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="276" />
        <source>This call is part of review session #{0}: your evaluation counts for it.</source>
        <translation>Звонок входит в сессию разбора № {0}: ваша оценка засчитывается в неё.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="293" />
        <source>Patient: {0}</source>
        <translation>Пациент: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="294" />
        <source>the clinic: {0}</source>
        <translation>клиника: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="296" />
        <source>first reply after {0}, the longest wait {1} (working time)</source>
        <translation>первый ответ через {0}, самое долгое ожидание {1} (рабочее время)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="299" />
        <source>no reply from the clinic</source>
        <translation>клиника не ответила</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="325" />
        <source>No transcript yet: the call is waiting for transcription. You can still listen and score it.</source>
        <translation>Расшифровки пока нет: звонок ждёт распознавания. Его уже можно слушать и оценивать.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="268" />
        <source>Self-review: your answers are stored as your own evaluation of this call. The supervisor's answers stay hidden until both of you have submitted.</source>
        <translation>Самооценка: ваши ответы сохраняются как ваша собственная оценка звонка. Ответы супервайзера будут видны, когда вы оба отправите оценки.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="178" />
        <source>Talk</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/call_loading.py" line="95" />
        <source>Loading the call…</source>
        <translation>Звонок загружается…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/call_loading.py" line="97" />
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="271" />
        <source>You can listen and read this call, but not score it: {0}</source>
        <translation>Этот звонок можно слушать и читать, но не оценивать: {0}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/review_workspace/review_window.py" line="286" />
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n сообщение</numerusform>
            <numerusform>%n сообщения</numerusform>
            <numerusform>%n сообщений</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="329" />
        <source>Speakers: {0}</source>
        <translation>Говорящие: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="349" />
        <source>Submitted</source>
        <translation>Отправлена</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="350" />
        <source>Draft</source>
        <translation>Черновик</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="350" />
        <source>Not started</source>
        <translation>Не начата</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="352" />
        <source>Self-review · {0}</source>
        <translation>Самооценка · {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="359" />
        <source>Submitted {0}</source>
        <translation>Отправлена {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="362" />
        <source>Draft: every answer is saved as it is given</source>
        <translation>Черновик: каждый ответ сохраняется сразу</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="364" />
        <source>Not started: nothing is stored until you answer or comment</source>
        <translation>Не начата: ничего не сохраняется, пока вы не ответите или не прокомментируете</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="367" />
        <source>Comment not saved yet: Enter saves it (so does moving on)</source>
        <translation>Комментарий ещё не сохранён: Enter сохраняет его (и переход дальше тоже)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="376" />
        <source>No waveform: {0}</source>
        <translation>Нет осциллограммы: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/call_loading.py" line="147" />
        <source>{0} of {1}</source>
        <translation>{0} из {1}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/call_loading.py" line="148" />
        <source>My queue: {0}</source>
        <translation>Моя очередь: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/call_loading.py" line="152" />
        <source>Calls of my queue; ‹ and › (Alt+←/→) go through them</source>
        <translation>Звонки моей очереди; ‹ и › (Alt+←/→) листают их</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/call_loading.py" line="153" />
        <source>Calls of the list this call was opened from; ‹ and › (Alt+←/→) go through them</source>
        <translation>Звонки списка, из которого открыт этот звонок; ‹ и › (Alt+←/→) листают их</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/review_window.py" line="455" />
        <source>Comments ({0})</source>
        <translation>Комментарии ({0})</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/leaving.py" line="36" />
        <source>The comment on question {0} is not saved: a comment is stored with its answer, and the question has no answer yet.</source>
        <translation>Комментарий к вопросу {0} не сохранён: комментарий хранится вместе с ответом, а ответа на вопрос ещё нет.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/leaving.py" line="39" />
        <source>Comment not saved</source>
        <translation>Комментарий не сохранён</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/leaving.py" line="41" />
        <source>Stay and answer</source>
        <translation>Остаться и ответить</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/leaving.py" line="42" />
        <source>Leave without it</source>
        <translation>Уйти без него</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../app/labels.py" line="245" />
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="246" />
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="247" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="248" />
        <source>Manager</source>
        <translation>Руководитель</translation>
    </message>
</context>
<context>
    <name>RubricEditorPane</name>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="98" />
        <source>+ Section</source>
        <translation>+ Раздел</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="99" />
        <source>Add a section after the selected one (Shift+Ins)</source>
        <translation>Добавить раздел после выбранного (Shift+Ins)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="100" />
        <source>+ Question</source>
        <translation>+ Вопрос</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="101" />
        <source>Add a question after the selected one (Ins)</source>
        <translation>Добавить вопрос после выбранного (Ins)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="102" />
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="103" />
        <source>Remove the selected section or question (Del)</source>
        <translation>Удалить выбранный раздел или вопрос (Del)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="105" />
        <source>Move up (Alt+Up); or drag with the mouse</source>
        <translation>Переместить вверх (Alt+↑) или перетащить мышью</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="107" />
        <source>Move down (Alt+Down); or drag with the mouse</source>
        <translation>Переместить вниз (Alt+↓) или перетащить мышью</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="150" />
        <source>Select a section or a question in the tree to edit it.</source>
        <translation>Выберите раздел или вопрос в дереве, чтобы изменить его.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="149" />
        <source>Selected item</source>
        <translation>Выбранный элемент</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="165" />
        <source>Rubric</source>
        <translation>Анкета</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="167" />
        <source>Preview and sample score</source>
        <translation>Просмотр и пример оценки</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/rubric_editor/editor_pane.py" line="342" />
        <source>%n problem(s) to fix before saving:</source>
        <translation>
            <numerusform>%n проблема, которую нужно исправить перед сохранением:</numerusform>
            <numerusform>%n проблемы, которые нужно исправить перед сохранением:</numerusform>
            <numerusform>%n проблем, которые нужно исправить перед сохранением:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/editor_pane.py" line="346" />
        <source>✓ The rubric is valid.</source>
        <translation>✓ Анкета без ошибок.</translation>
    </message>
</context>
<context>
    <name>RubricForm</name>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="87" />
        <source>The rubric's permanent name; it cannot change once saved.</source>
        <translation>Постоянное имя анкеты; после сохранения не меняется.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="91" />
        <source>Section weights must add up to</source>
        <translation>Сумма весов разделов должна быть</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="98" />
        <source>&amp;Id</source>
        <translation>&amp;Код</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="99" />
        <source>&amp;Title</source>
        <translation>&amp;Название</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="100" />
        <source>&amp;Description</source>
        <translation>&amp;Описание</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="101" />
        <source>For call kinds</source>
        <translation>Для типов звонков</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="102" />
        <source>Weights</source>
        <translation>Веса</translation>
    </message>
</context>
<context>
    <name>RubricListWidget</name>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="139" />
        <source>Published: version {0}</source>
        <translation>Опубликована версия {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="140" />
        <source>Not published yet</source>
        <translation>Ещё не опубликована</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="144" />
        <source>draft</source>
        <translation>черновик</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="146" />
        <source>built-in</source>
        <translation>встроенная</translation>
    </message>
</context>
<context>
    <name>RubricPreview</name>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="63" />
        <source>Call &amp;kind</source>
        <translation>&amp;Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="65" />
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="85" />
        <source>The rubric has problems: the preview shows its last valid state.</source>
        <translation>В анкете есть проблемы: показано её последнее правильное состояние.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="150" />
        <source>Any</source>
        <translation>Любой</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="186" />
        <source>weight {0}</source>
        <translation>вес {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="206" />
        <source>FATAL: “no” sets the score to 0</source>
        <translation>ФАТАЛЬНЫЙ: ответ «нет» обнуляет оценку</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="208" />
        <source>critical</source>
        <translation>критичный</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="210" />
        <source>up to {0} pt</source>
        <translation>до {0} б.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="220" />
        <source>Reviewer's note</source>
        <translation>Заметка проверяющего</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="225" />
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="225" />
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="231" />
        <source>N/A</source>
        <translation>н/п</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="267" />
        <source>none answered</source>
        <translation>нет ответов</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="268" />
        <source>yes — score set to 0</source>
        <translation>да — оценка обнулена</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="268" />
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="269" />
        <source>Sample score of this form.
Critical: {0}   Fatal: {1}</source>
        <translation>Пример оценки по этой анкете.
Критичные: {0}   Фатальные: {1}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/preview.py" line="274" />
        <source>A reviewer must comment on: {0}</source>
        <translation>Проверяющий должен прокомментировать: {0}</translation>
    </message>
</context>
<context>
    <name>RubricTreeModel</name>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="34" />
        <source>Scale</source>
        <translation>Шкала</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="35" />
        <source>Scale {0}–{1}</source>
        <translation>Шкала {0}–{1}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="36" />
        <source>Yes / no</source>
        <translation>Да / нет</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="37" />
        <source>Choice</source>
        <translation>Выбор</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="38" />
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="158" />
        <source>Section / question</source>
        <translation>Раздел / вопрос</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="158" />
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="158" />
        <source>Weight</source>
        <translation>Вес</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="158" />
        <source>Flags</source>
        <translation>Отметки</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="191" />
        <source>Only for: {0}</source>
        <translation>Только для: {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="192" />
        <source>Conditional</source>
        <translation>Условный</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="198" />
        <source>{0} pt</source>
        <translation>{0} б.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="202" />
        <source>fatal</source>
        <translation>фатальный</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="204" />
        <source>critical</source>
        <translation>критичный</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_tree_model.py" line="206" />
        <source>N/A</source>
        <translation>н/п</translation>
    </message>
</context>
<context>
    <name>RubricsPage</name>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="76" />
        <source>New rubric</source>
        <translation>Новая анкета</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="77" />
        <source>Import YAML…</source>
        <translation>Импорт YAML…</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="78" />
        <source>Versions</source>
        <translation>Версии</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="80" />
        <source>Rubrics</source>
        <translation>Анкеты</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="101" />
        <location filename="../../app/rubric_editor/rubrics_page.py" line="308" />
        <source>Edit as new draft</source>
        <translation>Править как новый черновик</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="102" />
        <source>Save draft</source>
        <translation>Сохранить черновик</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="103" />
        <source>Publish…</source>
        <translation>Опубликовать…</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="105" />
        <source>Export YAML…</source>
        <translation>Экспорт YAML…</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="106" />
        <source>Published versions never change; edit a copy as the next version (Ctrl+E)</source>
        <translation>Опубликованные версии не меняются; правьте копию как следующую версию (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="107" />
        <source>Save the draft without publishing it (Ctrl+S)</source>
        <translation>Сохранить черновик без публикации (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="108" />
        <source>Make the draft the current version, with a note (Ctrl+Shift+P)</source>
        <translation>Сделать черновик действующей версией, с примечанием (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="122" />
        <source>You can view rubrics; editing them needs the rubric manager permission.</source>
        <translation>Вы можете просматривать анкеты; для правки нужно право управления анкетами.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="289" />
        <source>Untitled rubric</source>
        <translation>Анкета без названия</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="293" />
        <source>New rubric, not saved yet</source>
        <translation>Новая анкета, ещё не сохранена</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="295" />
        <source>Draft of version {0}</source>
        <translation>Черновик версии {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="297" />
        <source>New draft from version {0}, not saved yet</source>
        <translation>Новый черновик из версии {0}, ещё не сохранён</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="299" />
        <source>Version {0}, published — read-only</source>
        <translation>Версия {0}, опубликована — только просмотр</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="301" />
        <source>unsaved changes</source>
        <translation>есть несохранённые изменения</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="303" />
        <source>saving…</source>
        <translation>сохраняется…</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="307" />
        <source>Open draft</source>
        <translation>Открыть черновик</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="340" />
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="341" />
        <source>The rubric has unsaved changes. Save them as a draft?</source>
        <translation>В анкете есть несохранённые изменения. Сохранить их как черновик?</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="377" />
        <source>Editing a copy of version {0}. It becomes a draft when you save it, and the current version only when you publish it.</source>
        <translation>Вы правите копию версии {0}. При сохранении она станет черновиком, а действующей версией — только после публикации.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="390" />
        <source>A new rubric: give it an id and a title on the Rubric tab, then add sections and questions.</source>
        <translation>Новая анкета: задайте код и название на вкладке «Анкета», затем добавьте разделы и вопросы.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="403" />
        <source>The rubric cannot be saved until its problems are fixed.</source>
        <translation>Анкету нельзя сохранить, пока не исправлены проблемы.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="407" />
        <source>A rubric with the id “{0}” already exists; choose another id on the Rubric tab.</source>
        <translation>Анкета с кодом «{0}» уже есть; выберите другой код на вкладке «Анкета».</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="452" />
        <source>Draft saved as version {0}.</source>
        <translation>Черновик сохранён как версия {0}.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="472" />
        <source>Publish version {0}</source>
        <translation>Публикация версии {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="473" />
        <source>What changed in this version? Reviewers and operators will see this note.</source>
        <translation>Что изменилось в этой версии? Это примечание увидят проверяющие и операторы.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="489" />
        <source>Describe what changed in this version.</source>
        <translation>Опишите, что изменилось в этой версии.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubrics_page.py" line="500" />
        <source>Version {0} published. Evaluations made with earlier versions keep their scores.</source>
        <translation>Версия {0} опубликована. Оценки по прежним версиям сохраняют свои баллы.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="21" />
        <source>Import a rubric</source>
        <translation>Импорт анкеты</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="22" />
        <location filename="../../app/rubric_editor/rubric_files.py" line="48" />
        <source>Rubric files (*.yaml *.yml)</source>
        <translation>Файлы анкет (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="43" />
        <source>The file was not imported; nothing was changed.
{0}</source>
        <translation>Файл не импортирован, ничего не изменено.
{0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="39" />
        <source>Imported {0} as a draft. Check it, then publish it.</source>
        <translation>Файл {0} импортирован как черновик. Проверьте его и опубликуйте.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="47" />
        <source>Export the rubric</source>
        <translation>Экспорт анкеты</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="73" />
        <source>Fix the rubric's problems before exporting it.</source>
        <translation>Исправьте проблемы анкеты перед экспортом.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="78" />
        <source>Cannot write {0}: {1}</source>
        <translation>Не удалось записать {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_files.py" line="84" />
        <source>Exported to {0}.</source>
        <translation>Сохранено в {0}.</translation>
    </message>
</context>
<context>
    <name>ScoreHeader</name>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="67" />
        <source>How it is calculated</source>
        <translation>Как посчитано</translation>
    </message>
</context>
<context>
    <name>ScoreTrendTab</name>
    <message>
        <location filename="../../app/report_views.py" line="159" />
        <source>By operator</source>
        <translation>По операторам</translation>
    </message>
    <message>
        <location filename="../../app/report_views.py" line="160" />
        <source>By team</source>
        <translation>По командам</translation>
    </message>
    <message>
        <location filename="../../app/report_views.py" line="167" />
        <source>Weekly average score</source>
        <translation>Средний балл по неделям</translation>
    </message>
    <message>
        <location filename="../../app/report_views.py" line="189" />
        <source>The chart shows the {0} with the most evaluations of {1}; filter to see others.</source>
        <translation>На графике {0} из {1} с наибольшим числом оценок; чтобы увидеть остальных, задайте фильтр.</translation>
    </message>
</context>
<context>
    <name>ScorecardForm</name>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="222" />
        <source>{0} · weight {1:g}</source>
        <translation>{0} · вес {1:g}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="327" />
        <source>Answered {0} of {1}</source>
        <translation>Отвечено {0} из {1}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="330" />
        <source>comments needed: {0}</source>
        <translation>нужны комментарии: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="333" />
        <source>Critical questions: none answered yet</source>
        <translation>Критичные вопросы: пока нет ответов</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="336" />
        <source>Critical questions: {0}</source>
        <translation>Критичные вопросы: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="341" />
        <source>Fatal error, not done: {0}. The score is 0 (computed {1}).</source>
        <translation>Фатальная ошибка, не выполнено: {0}. Оценка — 0 (рассчитано {1}).</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/rubric_form.py" line="352" />
        <source>A comment is required for this answer</source>
        <translation>К этому ответу нужен комментарий</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <location filename="../../app/search_page.py" line="143" />
        <source>Search transcripts and messages</source>
        <translation>Поиск по расшифровкам и сообщениям</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="147" />
        <source>Words said or written in a conversation, e.g. «записаться» or «спасибо большое»</source>
        <translation>Слова из разговора или переписки, например «записаться» или «спасибо большое»</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="151" />
        <source>All operators</source>
        <translation>Все операторы</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="153" />
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="172" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="172" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="172" />
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="172" />
        <source>Speaker</source>
        <translation>Кто говорит</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="173" />
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="173" />
        <source>What was said</source>
        <translation>Что было сказано</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="199" />
        <source>Type a word or a phrase: calls where it was said are listed here, in any word form.</source>
        <translation>Введите слово или фразу — здесь появятся звонки, где это было сказано, в любой словоформе.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/search_page.py" line="250" />
        <source>Found: %n fragment(s)</source>
        <translation>
            <numerusform>Найден %n фрагмент</numerusform>
            <numerusform>Найдено %n фрагмента</numerusform>
            <numerusform>Найдено %n фрагментов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="251" />
        <source>{0}; newest calls first, a call's fragments in the order said.</source>
        <translation>{0}; сначала новые звонки, фрагменты звонка — по порядку.</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="255" />
        <source>Nothing found for “%1” for this operator or period. Choose all operators or another period.</source>
        <translation>Для этого оператора или периода по запросу «%1» ничего не найдено. Выберите всех операторов или другой период.</translation>
    </message>
    <message>
        <location filename="../../app/search_page.py" line="256" />
        <source>Nothing found for “%1”. Try fewer words or another word; only transcribed calls are searched.</source>
        <translation>По запросу «%1» ничего не найдено. Попробуйте меньше слов или другое слово; поиск идёт только по расшифрованным звонкам.</translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="32" />
        <source>How much the section counts in the overall score.</source>
        <translation>Насколько раздел влияет на общую оценку.</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="33" />
        <source>Only for some call kinds</source>
        <translation>Только для некоторых типов звонков</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="37" />
        <source>&amp;Id</source>
        <translation>&amp;Код</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="38" />
        <source>&amp;Title</source>
        <translation>&amp;Название</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="39" />
        <source>&amp;Description</source>
        <translation>&amp;Описание</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="40" />
        <source>&amp;Weight</source>
        <translation>&amp;Вес</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/section_form.py" line="41" />
        <source>Condition</source>
        <translation>Условие</translation>
    </message>
</context>
<context>
    <name>SessionBoard</name>
    <message>
        <location filename="../../app/sessions/board.py" line="29" />
        <source>To score by supervisor</source>
        <translation>Оценивает супервайзер</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="30" />
        <source>To self-score by operator</source>
        <translation>Самооценка оператора</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="31" />
        <source>Ready to discuss</source>
        <translation>Готовы к обсуждению</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="31" />
        <source>Closed</source>
        <translation>Закрыты</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="35" />
        <source>No session waits for an operator's self-score.</source>
        <translation>Ни одна сессия не ждёт самооценки оператора.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="36" />
        <source>A session comes here once both sides have scored its calls.</source>
        <translation>Сессия появится здесь, когда обе стороны оценят её звонки.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="37" />
        <source>Sessions discussed and closed come here.</source>
        <translation>Сюда попадают обсуждённые и закрытые сессии.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="75" />
        <source>%1
%2
scored %3/%5 · self %4/%5</source>
        <translation>%1
%2
оценено %3/%5 · самооценка %4/%5</translation>
    </message>
    <message>
        <location filename="../../app/sessions/board.py" line="79" />
        <source>Acknowledged %1</source>
        <translation>Ознакомление: %1</translation>
    </message>
</context>
<context>
    <name>SessionDetail</name>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="109" />
        <source>at random</source>
        <translation>случайно</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="110" />
        <source>{0} s</source>
        <translation>{0} с</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="111" />
        <source>long silence ({0})</source>
        <translation>долгая тишина ({0})</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="112" />
        <source>long hold ({0})</source>
        <translation>долгое удержание ({0})</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="113" />
        <source>heavy overtalk ({0})</source>
        <translation>частые перебивания ({0})</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="122" />
        <source>a failed check</source>
        <translation>проваленная проверка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="176" />
        <source>Choose a session on the board</source>
        <translation>Выберите сессию на доске</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="180" />
        <source>I have seen the results and goals</source>
        <translation>Подтверждаю: результаты и цели прочитаны</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="183" />
        <source>Close session</source>
        <translation>Закрыть сессию</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="191" />
        <location filename="../../app/sessions/session_detail.py" line="209" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="191" />
        <source>Started</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="191" />
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="191" />
        <source>Why picked</source>
        <translation>Почему выбран</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="194" />
        <source>The calls picked for a session come here: choose a session on the board above.</source>
        <translation>Здесь будут звонки, выбранные для сессии: выберите сессию на доске выше.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="195" />
        <source>Open call</source>
        <translation>Открыть звонок</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="198" />
        <source>Swap for another call…</source>
        <translation>Заменить другим звонком…</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="209" />
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="209" />
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="209" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="210" />
        <source>Comments</source>
        <translation>Комментарии</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="225" />
        <source>Dispute this answer…</source>
        <translation>Оспорить этот ответ…</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="235" />
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="236" />
        <source>Side by side</source>
        <translation>Сравнение</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="237" />
        <source>Discussion</source>
        <translation>Обсуждение</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="238" />
        <source>Goals</source>
        <translation>Цели</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="278" />
        <source>Review sessions</source>
        <translation>Сессии оценки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="387" />
        <source>Not done</source>
        <translation>Не выполнено</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="285" />
        <source>Session #%1</source>
        <translation>Сессия № %1</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="286" />
        <source>Acknowledged %1</source>
        <translation>Ознакомление: %1</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="287" />
        <source>Not acknowledged yet</source>
        <translation>Ознакомления ещё не было</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="303" />
        <source>in the session</source>
        <translation>в сессии</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="303" />
        <source>swapped out: %1</source>
        <translation>заменён: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/session_detail.py" line="323" />
        <source>%n differing answer(s) highlighted.</source>
        <translation>
            <numerusform>Выделен %n ответ с расхождением.</numerusform>
            <numerusform>Выделено %n ответа с расхождением.</numerusform>
            <numerusform>Выделено %n ответов с расхождением.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="332" />
        <source>Supervisor: %1</source>
        <translation>Супервайзер: %1</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="333" />
        <source>Operator: %1</source>
        <translation>Оператор: %1</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="370" />
        <source>Swap the call</source>
        <translation>Замена звонка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="370" />
        <source>Why can this call not be used?</source>
        <translation>Почему этот звонок не подходит?</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="393" />
        <source>Dispute the answer</source>
        <translation>Оспорить ответ</translation>
    </message>
    <message>
        <location filename="../../app/sessions/session_detail.py" line="394" />
        <source>Why is the supervisor's answer wrong?</source>
        <translation>Почему ответ супервайзера неверен?</translation>
    </message>
</context>
<context>
    <name>SessionsPage</name>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="37" />
        <location filename="../../app/sessions/sessions_page.py" line="131" />
        <source>Review sessions</source>
        <translation>Сессии оценки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="39" />
        <source>New sessions…</source>
        <translation>Новые сессии…</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="42" />
        <source>Start calibration…</source>
        <translation>Начать калибровку…</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="68" />
        <source>Sessions</source>
        <translation>Сессии</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="69" />
        <source>Disputes</source>
        <translation>Споры</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="72" />
        <source>Calibration</source>
        <translation>Калибровка</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="74" />
        <source>Thanks from patients</source>
        <translation>Благодарности пациентов</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="123" />
        <source>No review session of your calls yet. Your supervisor creates them; they appear here.</source>
        <translation>Сессий разбора ваших звонков пока нет. Их создаёт супервайзер — они появятся здесь.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/sessions_page.py" line="125" />
        <source>No review sessions yet. Press “New sessions…” to sample calls for your operators.</source>
        <translation>Сессий разбора пока нет. Нажмите «Новые сессии…», чтобы выбрать звонки операторов.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/sessions_page.py" line="157" />
        <source>%n session(s) created.</source>
        <translation>
            <numerusform>Создана %n сессия.</numerusform>
            <numerusform>Создано %n сессии.</numerusform>
            <numerusform>Создано %n сессий.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="29" />
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="39" />
        <source>Embedded database on this computer</source>
        <translation>Встроенная база данных на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="40" />
        <source>For a shared team database: postgresql+psycopg://user:password@server/kalibra</source>
        <translation>Для общей базы команды: postgresql+psycopg://пользователь:пароль@сервер/kalibra</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="43" />
        <source>Built-in model (whisper base)</source>
        <translation>Встроенная модель (whisper base)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="44" />
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="51" />
        <source>e.g. small — only if no model is installed</source>
        <translation>например, small — только если модель не установлена</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="89" />
        <source>Allow downloading it (needs internet; audio never leaves)</source>
        <translation>Разрешить загрузку (нужен интернет; записи никуда не передаются)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="55" />
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="56" />
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="57" />
        <source>Detect for each call</source>
        <translation>Определять для каждого звонка</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="63" />
        <source>1 is fastest; larger values are slower and sometimes more accurate</source>
        <translation>1 — быстрее всего; большие значения медленнее и иногда точнее</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="66" />
        <source>e.g. Family Doctor, Семейный доктор</source>
        <translation>например: Семейный доктор, Family Doctor</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="67" />
        <source>On a one-channel recording, the voice that names the clinic in its greeting is taken for the operator</source>
        <translation>В записи с одним каналом оператором считается голос, который называет клинику в приветствии</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="97" />
        <source>Hide phone numbers, cards, documents and dates of birth on screen</source>
        <translation>Скрывать на экране телефоны, номера карт, документов и даты рождения</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="80" />
        <source>Exports always hide them unless you ask otherwise</source>
        <translation>В выгрузках они скрыты всегда, если не попросить иначе</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="83" />
        <source>Interface language:</source>
        <translation>Язык интерфейса:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="84" />
        <source>Database:</source>
        <translation>База данных:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="85" />
        <source>Speech model folder:</source>
        <translation>Папка модели речи:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="86" />
        <source>Model to download:</source>
        <translation>Модель для загрузки:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="91" />
        <source>Speech language:</source>
        <translation>Язык речи:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="92" />
        <source>Beam size:</source>
        <translation>Тщательность распознавания (beam):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="93" />
        <source>Clinic names:</source>
        <translation>Названия клиники:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="94" />
        <source>Default rubric:</source>
        <translation>Анкета по умолчанию:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="95" />
        <source>File name template:</source>
        <translation>Шаблон имени файла:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="98" />
        <source>Personal data:</source>
        <translation>Персональные данные:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="99" />
        <source>A new language or database takes effect after restarting Kalibra.</source>
        <translation>Новый язык или база данных применяются после перезапуска Kalibra.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="116" />
        <source>Folder with a faster-whisper model</source>
        <translation>Папка с моделью faster-whisper</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="22" />
        <source>Keyboard shortcuts</source>
        <translation>Горячие клавиши</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="24" />
        <source>Space</source>
        <translation>Пробел</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="24" />
        <source>Play / pause</source>
        <translation>Слушать / пауза</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="25" />
        <source>J / L</source>
        <translation>J / L</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="26" />
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="26" />
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="27" />
        <source>[ / ]</source>
        <translation>[ / ]</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="27" />
        <source>Slower / faster (0.75×–2×)</source>
        <translation>Медленнее / быстрее (0,75×–2×)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="28" />
        <source>↑ / ↓</source>
        <translation>↑ / ↓</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="28" />
        <source>Previous / next question (also from a comment or note field: its text is saved)</source>
        <translation>Предыдущий / следующий вопрос (и из поля комментария или заметки: текст сохраняется)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="30" />
        <source>Answer the current question; the form then moves to the next question (so ↓ after an answer skips one)</source>
        <translation>Ответ на текущий вопрос; затем форма сама переходит к следующему вопросу (поэтому ↓ после ответа пропускает один)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="32" />
        <source>Not applicable, then the next question (again: clear, and stay)</source>
        <translation>Неприменимо, затем следующий вопрос (повторно: снять и остаться)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="33" />
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="33" />
        <source>Accept the suggested answer (its evidence is on the question's card)</source>
        <translation>Принять предложенный ответ (его основания — в карточке вопроса)</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="34" />
        <source>Comment on the current answer; Enter in the comment saves it and moves on</source>
        <translation>Комментарий к текущему ответу; Enter в комментарии сохраняет его и переходит дальше</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="35" />
        <source>Low answer</source>
        <translation>Низкий ответ</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="35" />
        <source>An answer that needs a comment keeps the form on its question, marked in red: Enter writes the comment now, ↓ leaves it for later</source>
        <translation>Если ответу нужен комментарий, форма остаётся на вопросе (красная рамка): Enter — написать сейчас, ↓ — оставить на потом</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="37" />
        <source>Type</source>
        <translation>Текст</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="37" />
        <source>On a note question the cursor is already in its field: type, Enter saves and moves on</source>
        <translation>На вопросе-заметке курсор уже в поле: печатайте, Enter сохраняет и переходит дальше</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="39" />
        <source>Comment at the playhead or on the selected words; in a chat, on the current message</source>
        <translation>Комментарий в текущей точке записи или к выделенным словам; в чате — к текущему сообщению</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="41" />
        <source>Previous / next call in the queue; what you are typing is saved first</source>
        <translation>Предыдущий / следующий звонок в очереди; набираемый текст сначала сохраняется</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="45" />
        <source>? / F1</source>
        <translation>? / F1</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="63" />
        <source>Keys work anywhere on the review screen. In a text field letters, digits and Space type, in either keyboard layout; ↑/↓, Alt+←/→, Ctrl+Enter and Esc still work. On a Russian layout the same keys work (О Л Д Т С Х Ъ). Nothing is stored for a call until you answer or comment.</source>
        <translation>Клавиши работают везде на экране оценки. В текстовом поле буквы, цифры и пробел печатаются — в любой раскладке; ↑/↓, Alt+←/→, Ctrl+Enter и Esc работают и там. В русской раскладке работают те же клавиши (О Л Д Т С Х Ъ). Для звонка ничего не сохраняется, пока вы не ответите или не прокомментируете.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="30" />
        <source>1 – 9</source>
        <translation>1 – 9</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="25" />
        <source>Back / forward 5 seconds; in a chat or e-mail, the previous / next message</source>
        <translation>Назад / вперёд на 5 секунд; в чате или письме — предыдущее / следующее сообщение</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="32" />
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="34" />
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="39" />
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="40" />
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="40" />
        <source>Submit the evaluation</source>
        <translation>Отправить оценку</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="41" />
        <source>Alt+← / Alt+→</source>
        <translation>Alt+← / Alt+→</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="43" />
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="43" />
        <source>Export an audio excerpt of the selected words or comment</source>
        <translation>Сохранить фрагмент записи по выделенным словам или комментарию</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="44" />
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="44" />
        <source>Leave a text field</source>
        <translation>Выйти из текстового поля</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="45" />
        <source>This sheet</source>
        <translation>Эта подсказка</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/dialogs.py" line="69" />
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="45" />
        <source>Sign in to Kalibra</source>
        <translation>Вход в Kalibra</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="47" />
        <source>Create the administrator's password</source>
        <translation>Создайте пароль администратора</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="48" />
        <location filename="../../app/sign_in_dialog.py" line="74" />
        <source>Sign in</source>
        <translation>Вход</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="50" />
        <source>This shared database has no administrator password yet. The password you set now protects user accounts, rubrics and settings.</source>
        <translation>У этой общей базы данных ещё нет пароля администратора. Пароль, который вы зададите, защитит учётные записи, анкеты и настройки.</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="52" />
        <source>Database: this computer</source>
        <translation>База данных: этот компьютер</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="53" />
        <source>Database: {0}</source>
        <translation>База данных: {0}</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="63" />
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="64" />
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="66" />
        <source>Repeat password</source>
        <translation>Повторите пароль</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="74" />
        <source>Set password and sign in</source>
        <translation>Задать пароль и войти</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="99" />
        <source>The two passwords differ.</source>
        <translation>Пароли не совпадают.</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="137" />
        <source>Too many failed attempts. Try again after {0} (UTC), or ask an administrator to reset your password.</source>
        <translation>Слишком много неудачных попыток. Повторите после {0} (UTC) или попросите администратора сбросить пароль.</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="140" />
        <source>This account is deactivated. Ask an administrator to reactivate it.</source>
        <translation>Учётная запись отключена. Попросите администратора включить её.</translation>
    </message>
    <message>
        <location filename="../../app/sign_in_dialog.py" line="142" />
        <source>Wrong user name or password.</source>
        <translation>Неверное имя пользователя или пароль.</translation>
    </message>
</context>
<context>
    <name>SourceLayoutDialog</name>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="22" />
        <source>Channel layout for an import source</source>
        <translation>Каналы для источника импорта</translation>
    </message>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="34" />
        <source>Detect for each call</source>
        <translation>Определять для каждого звонка</translation>
    </message>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="39" />
        <source>A recorder writes every file the same way. The layout chosen here is used for every call from the folder and its subfolders, and for calls imported from it later; calls already transcribed another way are transcribed again.</source>
        <translation>Система записи пишет все файлы одинаково. Выбранная здесь раскладка каналов применяется ко всем звонкам из папки и её подпапок и к звонкам, которые будут импортированы из неё позже; звонки, уже расшифрованные иначе, расшифровываются заново.</translation>
    </message>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="47" />
        <source>Folder:</source>
        <translation>Папка:</translation>
    </message>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="48" />
        <source>Channels:</source>
        <translation>Каналы:</translation>
    </message>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="50" />
        <source>Set for all calls from this folder</source>
        <translation>Задать для всех звонков из папки</translation>
    </message>
    <message>
        <location filename="../../app/source_layout_dialog.py" line="65" />
        <source>detected for each call</source>
        <translation>определяется для каждого звонка</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/source_layout_dialog.py" line="66" />
        <source>%n call(s) in the library come from {0}; now: {1}.</source>
        <translation>
            <numerusform>%n звонок в библиотеке из {0}; сейчас: {1}.</numerusform>
            <numerusform>%n звонка в библиотеке из {0}; сейчас: {1}.</numerusform>
            <numerusform>%n звонков в библиотеке из {0}; сейчас: {1}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartCalibrationDialog</name>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="44" />
        <location filename="../../app/sessions/calibration_dialog.py" line="77" />
        <source>Start calibration</source>
        <translation>Начать калибровку</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="45" />
        <source>Every supervisor chosen here scores every chosen call on their own. Nobody sees the others' scores until they have submitted theirs, or until the round is closed; then the Calibration tab shows where they agree and who differs.</source>
        <translation>Каждый выбранный здесь супервайзер сам оценивает каждый выбранный звонок. Никто не видит чужих оценок, пока не отправит свои или пока раунд не закрыт; затем вкладка «Калибровка» показывает, где оценки совпадают и кто расходится.</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="51" />
        <source>e.g. December: booking calls</source>
        <translation>например, Декабрь: звонки на запись</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="53" />
        <source>Filter the calls by number, operator or date</source>
        <translation>Отбор звонков по номеру, оператору или дате</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="68" />
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="72" />
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="73" />
        <source>Rubric</source>
        <translation>Анкета</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="74" />
        <source>Supervisors</source>
        <translation>Супервайзеры</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="96" />
        <source>Call #%1 · %2 · %3</source>
        <translation>Звонок № %1 · %2 · %3</translation>
    </message>
    <message>
        <location filename="../../app/sessions/calibration_dialog.py" line="107" />
        <source>There are no calls to calibrate on yet: import some in the library.</source>
        <translation>Звонков для калибровки пока нет: импортируйте их в библиотеке.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/calibration_dialog.py" line="130" />
        <source>%n call(s) chosen</source>
        <translation>
            <numerusform>выбран %n звонок</numerusform>
            <numerusform>выбрано %n звонка</numerusform>
            <numerusform>выбрано %n звонков</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/sessions/calibration_dialog.py" line="131" />
        <source>%n supervisor(s) chosen</source>
        <translation>
            <numerusform>выбран %n супервайзер</numerusform>
            <numerusform>выбрано %n супервайзера</numerusform>
            <numerusform>выбрано %n супервайзеров</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartupWait</name>
    <message>
        <location filename="../../app/startup_wait.py" line="37" />
        <source>Opening the workspace…</source>
        <translation>Открытие базы данных…</translation>
    </message>
</context>
<context>
    <name>SuggestionBox</name>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="131" />
        <source>No suggestion: the checks do not settle this question</source>
        <translation>Без подсказки: проверки не решают этот вопрос</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="133" />
        <source>Suggested: {0} (press A to accept)</source>
        <translation>Подсказка: {0} (A — принять)</translation>
    </message>
</context>
<context>
    <name>Suggestions</name>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="28" />
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="29" />
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="41" />
        <source>operator</source>
        <translation>оператор</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="43" />
        <source>customer</source>
        <translation>клиент</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="56" />
        <source>longest silence, s</source>
        <translation>самая долгая пауза, с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="57" />
        <source>silence in all, s</source>
        <translation>паузы всего, с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="58" />
        <source>longest hold, s</source>
        <translation>самое долгое удержание, с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="59" />
        <source>hold in all, s</source>
        <translation>удержание всего, с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="60" />
        <source>long holds</source>
        <translation>долгие удержания</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="61" />
        <source>overtalk, times</source>
        <translation>перебивания, раз</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="62" />
        <source>the operator interrupted, times</source>
        <translation>оператор перебил, раз</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="63" />
        <source>operator's share of the talk, %</source>
        <translation>доля речи оператора, %</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="64" />
        <source>operator's first word after, s</source>
        <translation>первое слово оператора через, с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="86" />
        <source>No evidence found: looked for {0}</source>
        <translation>Оснований не найдено: искали {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="93" />
        <source>{0} — {1}, {2}</source>
        <translation>{0} — {1}, {2}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/suggestion_view.py" line="96" />
        <source>(after a negation: not counted)</source>
        <translation>(после отрицания: не засчитано)</translation>
    </message>
</context>
<context>
    <name>TalkPanel</name>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="19" />
        <source>{0} s</source>
        <translation>{0} с</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="33" />
        <source>Operator talk</source>
        <translation>Речь оператора</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="33" />
        <source>Customer talk</source>
        <translation>Речь клиента</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="34" />
        <source>Silences</source>
        <translation>Тишина</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="34" />
        <source>Holds</source>
        <translation>Удержания</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="35" />
        <source>Overtalk</source>
        <translation>Перебивания</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="35" />
        <source>Operator's pace</source>
        <translation>Темп оператора</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="36" />
        <source>Operator's first word</source>
        <translation>Первое слово оператора</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="49" />
        <source>Silences, holds and overtalk (click to listen):</source>
        <translation>Тишина, удержания и перебивания (щелчок — прослушать):</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="56" />
        <source>No silences, holds or overtalk in this call: each one found comes here, to listen to from its start.</source>
        <translation>В этом звонке нет тишины, удержаний и перебиваний: каждый найденный отрезок появится здесь, его можно прослушать с начала.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="57" />
        <source>The call's silences, holds and overtalk come here once it is transcribed.</source>
        <translation>Тишина, удержания и перебивания звонка появятся здесь, когда он будет расшифрован.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="62" />
        <source>Not measured yet: the call has no transcript.</source>
        <translation>Ещё не измерено: у звонка нет расшифровки.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="66" />
        <source>A one-channel call: who is speaking was inferred from the voices, so who started an overtalk is not known.</source>
        <translation>Одноканальный звонок: кто говорит, определено по голосам, поэтому неизвестно, кто начал перебивание.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="69" />
        <source>Measured from the transcript alone (the recording could not be read): music on hold is not told from quiet.</source>
        <translation>Измерено только по расшифровке (запись не прочитана): музыку на удержании не отличить от тишины.</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="75" />
        <location filename="../../app/review_workspace/talk_panel.py" line="78" />
        <source>{0}, {1} in all, the longest {2}</source>
        <translation>{0}, всего {1}, дольше всего {2}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="77" />
        <location filename="../../app/review_workspace/talk_panel.py" line="80" />
        <location filename="../../app/review_workspace/talk_panel.py" line="85" />
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="82" />
        <source>too long: {0}</source>
        <translation>слишком долгих: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="84" />
        <source>{0}, {1} in all</source>
        <translation>{0}, всего {1}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="87" />
        <source>the operator started {0}, the customer {1}</source>
        <translation>начал оператор: {0}, клиент: {1}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="90" />
        <source>{0} words a minute</source>
        <translation>{0} слов в минуту</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="105" />
        <source>Silence {0}</source>
        <translation>Тишина {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="107" />
        <source>Hold with music {0}</source>
        <translation>Удержание с музыкой {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="107" />
        <source>Hold {0}</source>
        <translation>Удержание {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="108" />
        <source>too long</source>
        <translation>слишком долго</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="109" />
        <source>the operator spoke over the customer</source>
        <translation>оператор перебил клиента</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="110" />
        <source>the customer spoke over the operator</source>
        <translation>клиент перебил оператора</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/talk_panel.py" line="111" />
        <source>Overtalk {0}</source>
        <translation>Перебивание {0}</translation>
    </message>
</context>
<context>
    <name>TalkTab</name>
    <message>
        <location filename="../../app/report_talk_tab.py" line="24" />
        <source>Averages per call of the calls measured after transcription: how much the operator talks, silences, holds, talking over each other, words per minute and how soon the operator speaks. Mono calls are measured with the speakers told apart by voice.</source>
        <translation>Средние за звонок по звонкам, измеренным после расшифровки: сколько говорит оператор, паузы, удержания, перебивания, слов в минуту и как скоро оператор начинает говорить. В моно-звонках собеседники различаются по голосу.</translation>
    </message>
    <message>
        <location filename="../../app/report_talk_tab.py" line="30" />
        <source>No measured calls in this period</source>
        <translation>За этот период нет измеренных звонков</translation>
    </message>
    <message>
        <location filename="../../app/report_talk_tab.py" line="47" />
        <source>Operator talk share</source>
        <translation>Доля речи оператора</translation>
    </message>
    <message>
        <location filename="../../app/report_talk_tab.py" line="50" />
        <source>No measured calls in this period: talk figures are measured when a call is transcribed. Widen the period, or transcribe the calls.</source>
        <translation>За этот период нет измеренных звонков: показатели разговора считаются при расшифровке звонка. Расширьте период или расшифруйте звонки.</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="29" />
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="30" />
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="31" />
        <source>card number</source>
        <translation>номер карты</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="32" />
        <source>passport</source>
        <translation>паспорт</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="33" />
        <source>SNILS</source>
        <translation>СНИЛС</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="34" />
        <source>date of birth</source>
        <translation>дата рождения</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="188" />
        <source>Follow playback</source>
        <translation>Следовать за воспроизведением</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="265" />
        <source>{0} — click to play from here</source>
        <translation>{0} — щёлкните, чтобы слушать отсюда</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="267" />
        <source>Personal data, hidden on screen: {0}</source>
        <translation>Персональные данные скрыты на экране: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/transcript_view.py" line="269" />
        <source>Unsure word ({0} % confidence): listen to check it.</source>
        <translation>Слово распознано неуверенно ({0} %): прослушайте, чтобы проверить.</translation>
    </message>
</context>
<context>
    <name>TranscriptionStatusWidget</name>
    <message>
        <location filename="../../app/transcription_status.py" line="71" />
        <source>Downloading the speech model…</source>
        <translation>Загрузка модели речи…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/transcription_status.py" line="90" />
        <source>%1 of %n call(s) transcribed</source>
        <translation>
            <numerusform>Расшифровано %1 из %n звонка</numerusform>
            <numerusform>Расшифровано %1 из %n звонков</numerusform>
            <numerusform>Расшифровано %1 из %n звонков</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="93" />
        <source>{0} failed</source>
        <translation>не удалось: {0}</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="95" />
        <source>{0} in progress {1} %</source>
        <translation>в работе {0} — {1} %</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="97" />
        <source>starting…</source>
        <translation>запуск…</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="99" />
        <source>paused, {0} waiting</source>
        <translation>пауза, в очереди: {0}</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="109" />
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="109" />
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="88" />
        <source>Transcripts: {0} ready, {1} failed</source>
        <translation>Расшифровки: готово {0}, с ошибкой {1}</translation>
    </message>
    <message>
        <location filename="../../app/transcription_status.py" line="89" />
        <source>Transcripts: {0} ready</source>
        <translation>Расшифровки: готово {0}</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../app/trend_chart.py" line="27" />
        <source>No evaluations in this period</source>
        <translation>За этот период оценок нет</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../app/users_page.py" line="60" />
        <source>Edit user</source>
        <translation>Изменить пользователя</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="60" />
        <source>New user</source>
        <translation>Новый пользователь</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="69" />
        <source>No team</source>
        <translation>Без команды</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="73" />
        <source>Not an operator</source>
        <translation>Не оператор</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="78" />
        <source>At least 8 characters</source>
        <translation>Не меньше 8 символов</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="85" />
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="86" />
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="87" />
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="88" />
        <source>Team</source>
        <translation>Команда</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="89" />
        <source>Operator (calls this account sees)</source>
        <translation>Оператор (чьи звонки видит эта учётная запись)</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="91" />
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../app/users_page.py" line="130" />
        <source>Administration</source>
        <translation>Администрирование</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="133" />
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="135" />
        <source>Teams</source>
        <translation>Команды</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="136" />
        <source>Data retention</source>
        <translation>Хранение</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="138" />
        <source>Working hours</source>
        <translation>Часы работы</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="139" />
        <source>Call kinds and outcomes</source>
        <translation>Виды звонков и итоги</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="141" />
        <source>Talk analytics</source>
        <translation>Аналитика</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="143" />
        <source>Clinic vocabulary</source>
        <translation>Словарь клиники</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="144" />
        <source>Audit log</source>
        <translation>Журнал аудита</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="199" />
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="199" />
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="199" />
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="200" />
        <location filename="../../app/users_page.py" line="336" />
        <source>Team</source>
        <translation>Команда</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="200" />
        <location filename="../../app/users_page.py" line="336" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="200" />
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="206" />
        <source>Sign-in is off on this computer until you set your own password. Anyone who opens Kalibra here works as the administrator.</source>
        <translation>Вход на этом компьютере выключен, пока вы не зададите свой пароль. Любой, кто откроет здесь Kalibra, работает как администратор.</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="211" />
        <source>New user…</source>
        <translation>Новый пользователь…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="212" />
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="213" />
        <source>Reset password…</source>
        <translation>Сбросить пароль…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="214" />
        <source>Deactivate / reactivate</source>
        <translation>Отключить / включить</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="215" />
        <source>Set my password…</source>
        <translation>Задать мой пароль…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="238" />
        <source>active</source>
        <translation>активна</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="238" />
        <source>deactivated</source>
        <translation>отключена</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="240" />
        <source>locked</source>
        <translation>заблокирована</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="242" />
        <source>no password</source>
        <translation>без пароля</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="309" />
        <source>Reset password of {0}</source>
        <translation>Сброс пароля {0}</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="314" />
        <location filename="../../app/users_page.py" line="318" />
        <source>Set my password</source>
        <translation>Мой пароль</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="318" />
        <source>Current password:</source>
        <translation>Текущий пароль:</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="339" />
        <source>New team…</source>
        <translation>Новая команда…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="341" />
        <source>Rename team…</source>
        <translation>Переименовать команду…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="343" />
        <source>A supervisor with a team sees only that team's operators; without a team, every operator.</source>
        <translation>Супервайзер с командой видит только операторов своей команды; без команды — всех операторов.</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="366" />
        <source>No team</source>
        <translation>Без команды</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="376" />
        <source>New team</source>
        <translation>Новая команда</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="376" />
        <source>Team name:</source>
        <translation>Название команды:</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="386" />
        <location filename="../../app/users_page.py" line="389" />
        <source>Rename team</source>
        <translation>Переименовать команду</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="386" />
        <source>Team:</source>
        <translation>Команда:</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="389" />
        <source>New name:</source>
        <translation>Новое название:</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="398" />
        <source>Keep until deleted</source>
        <translation>Хранить до удаления</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="399" />
        <location filename="../../app/users_page.py" line="402" />
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="403" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="405" />
        <source>Purge expired calls now…</source>
        <translation>Удалить устаревшие звонки сейчас…</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="407" />
        <source>Calls older than this, with their transcripts, evaluations and comments, are removed completely, search index included. Recording files are not touched. Every purge is written to the audit log.</source>
        <translation>Звонки старше этого срока удаляются полностью вместе с расшифровками, оценками и комментариями, включая поисковый индекс. Файлы записей не затрагиваются. Каждое удаление записывается в журнал аудита.</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="413" />
        <source>Keep calls for</source>
        <translation>Хранить звонки</translation>
    </message>
    <message>
        <location filename="../../app/users_page.py" line="414" />
        <source>Operators may dispute an answer within</source>
        <translation>Оператор может оспорить ответ в течение</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/users_page.py" line="444" />
        <source>Remove %n call(s) and everything about them? This cannot be undone.</source>
        <translation>
            <numerusform>Удалить %n звонок и всё, что с ним связано? Отменить нельзя.</numerusform>
            <numerusform>Удалить %n звонка и всё, что с ними связано? Отменить нельзя.</numerusform>
            <numerusform>Удалить %n звонков и всё, что с ними связано? Отменить нельзя.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VersionListWidget</name>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="180" />
        <source>Version {0}</source>
        <translation>Версия {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="183" />
        <source>draft</source>
        <translation>черновик</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="184" />
        <source>Saved {0}</source>
        <translation>Сохранён {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="186" />
        <source>current</source>
        <translation>действующая</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="192" />
        <source>Published by {0}</source>
        <translation>Автор публикации: {0}</translation>
    </message>
    <message>
        <location filename="../../app/rubric_editor/rubric_list.py" line="200" />
        <source>Built-in rubric</source>
        <translation>Встроенная анкета</translation>
    </message>
</context>
<context>
    <name>VocabularyEditor</name>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="31" />
        <source>Not a callback</source>
        <translation>Не обзвон</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="32" />
        <source>Callback: check-up invitation</source>
        <translation>Обзвон: приглашение на чек-ап</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="33" />
        <source>Callback: return of a lost patient</source>
        <translation>Обзвон: возврат пациента</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="34" />
        <source>Callback: continuation of treatment</source>
        <translation>Обзвон: продолжение лечения</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="62" />
        <source>Call kinds</source>
        <translation>Виды звонков</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="63" />
        <source>Outcomes</source>
        <translation>Итоги</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="66" />
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="66" />
        <source>Russian</source>
        <translation>По-русски</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="66" />
        <source>English</source>
        <translation>По-английски</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="67" />
        <source>Outbound callback</source>
        <translation>Исходящий обзвон</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="67" />
        <source>Archived</source>
        <translation>В архиве</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="75" />
        <source>Save changes</source>
        <translation>Сохранить изменения</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="79" />
        <source>code, e.g. booking_cardiologist</source>
        <translation>код, например booking_cardiologist</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="81" />
        <source>Russian label</source>
        <translation>Название по-русски</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="83" />
        <source>English label</source>
        <translation>Название по-английски</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="85" />
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="147" />
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/vocabulary_editor.py" line="163" />
        <location filename="../../app/vocabulary_editor.py" line="165" />
        <source>Added.</source>
        <translation>Добавлено.</translation>
    </message>
</context>
<context>
    <name>WaveformWidget</name>
    <message>
        <location filename="../../app/review_workspace/waveform_widget.py" line="55" />
        <location filename="../../app/review_workspace/waveform_widget.py" line="68" />
        <source>Loading the waveform…</source>
        <translation>Загрузка осциллограммы…</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/waveform_widget.py" line="56" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/waveform_widget.py" line="56" />
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/waveform_widget.py" line="57" />
        <source>Both speakers</source>
        <translation>Оба собеседника</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/waveform_widget.py" line="157" />
        <source>personal data: {0}</source>
        <translation>персональные данные: {0}</translation>
    </message>
    <message>
        <location filename="../../app/review_workspace/waveform_widget.py" line="244" />
        <location filename="../../app/review_workspace/waveform_widget.py" line="260" />
        <source>Hold {0}</source>
        <translation>Ожидание {0}</translation>
    </message>
</context>
<context>
    <name>WorkingHoursEditor</name>
    <message>
        <location filename="../../app/working_hours_editor.py" line="38" />
        <source>A patient's wait for an answer in a chat or by e-mail counts only these hours: a message at night waits from the next opening. Saving times every stored chat and e-mail again.</source>
        <translation>Ожидание ответа в чате или по почте считается только в эти часы: сообщение, пришедшее ночью, ждёт с начала следующего рабочего дня. После сохранения все чаты и письма пересчитываются.</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="43" />
        <source>Monday</source>
        <translation>Понедельник</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="43" />
        <source>Tuesday</source>
        <translation>Вторник</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="43" />
        <source>Wednesday</source>
        <translation>Среда</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="43" />
        <source>Thursday</source>
        <translation>Четверг</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="43" />
        <source>Friday</source>
        <translation>Пятница</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="44" />
        <source>Saturday</source>
        <translation>Суббота</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="44" />
        <source>Sunday</source>
        <translation>Воскресенье</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="66" />
        <source>this computer's time zone</source>
        <translation>часовой пояс этого компьютера</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="67" />
        <source>An IANA time zone such as Europe/Moscow or Asia/Novosibirsk: e-mail times are shown and counted in it</source>
        <translation>Часовой пояс IANA, например Europe/Moscow или Asia/Novosibirsk: в нём показывается и считается время писем</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="70" />
        <source>Time zone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="72" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/working_hours_editor.py" line="128" />
        <source>Saved: chats and e-mails are timed by these hours.</source>
        <translation>Сохранено: чаты и письма считаются по этим часам.</translation>
    </message>
</context>
<context>
    <name>WrittenIdentityStep</name>
    <message>
        <location filename="../../app/written_identity_step.py" line="32" />
        <source>Who of them is the clinic's operator? Leave patients empty; an operator's name may be new. Remembered for the next import.</source>
        <translation>Кто из них — оператор клиники? Для пациентов оставьте поле пустым; можно вписать нового оператора. Выбор запомнится для следующего импорта.</translation>
    </message>
    <message>
        <location filename="../../app/written_identity_step.py" line="36" />
        <source>Participant</source>
        <translation>Участник</translation>
    </message>
    <message>
        <location filename="../../app/written_identity_step.py" line="36" />
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location filename="../../app/written_identity_step.py" line="36" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/written_identity_step.py" line="61" />
        <source>patient</source>
        <translation>пациент</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../review/accounts/access.py" line="45" />
        <source>{name} ({role}) may not do this: {permission}.</source>
        <translation>{name} ({role}): нет прав на это действие ({permission}).</translation>
    </message>
    <message>
        <location filename="../../review/accounts/access.py" line="126" />
        <source>{name} ({role}) does not supervise this operator's team.</source>
        <translation>{name} ({role}) не руководит командой этого оператора.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/access.py" line="125" />
        <source>Operators see only their own calls, evaluations, sessions and goals.</source>
        <translation>Операторам доступны только их собственные звонки, оценки, сессии и цели.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="49" />
        <source>Too many failed attempts: this account is locked until {until} UTC. Try again then, or ask an administrator to reset the password.</source>
        <translation>Слишком много неудачных попыток: учётная запись заблокирована до {until} (UTC). Повторите попытку позже или попросите администратора сбросить пароль.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="65" />
        <source>A password needs at least {count} characters.</source>
        <translation>Минимальная длина пароля — {count} симв.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="67" />
        <source>A password may have at most {count} characters.</source>
        <translation>Максимальная длина пароля — {count} симв.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="69" />
        <source>A password cannot contain the NUL character.</source>
        <translation>Пароль не может содержать символ NUL.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="103" />
        <source>This database needs a sign-in.</source>
        <translation>Для этой базы данных нужно войти в систему.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="128" />
        <location filename="../../review/accounts/users.py" line="134" />
        <location filename="../../review/accounts/users.py" line="144" />
        <source>Wrong user name or password.</source>
        <translation>Неверное имя пользователя или пароль.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="179" />
        <source>{field} must be text.</source>
        <translation>{field}: нужен текст.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="182" />
        <source>{field} cannot be empty.</source>
        <translation>{field}: поле не может быть пустым.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="184" />
        <source>{field} may have at most {count} characters.</source>
        <translation>{field}: не больше {count} симв.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="186" />
        <source>{field} cannot contain control characters.</source>
        <translation>{field}: управляющие символы недопустимы.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="199" />
        <source>User #{id} does not exist.</source>
        <translation>Пользователя № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="205" />
        <source>Unknown role {role}; choose one of {roles}.</source>
        <translation>Неизвестная роль {role}; выберите одну из: {roles}.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="207" />
        <location filename="../../review/accounts/users.py" line="322" />
        <location filename="../../review/accounts/users.py" line="337" />
        <source>Team #{id} does not exist.</source>
        <translation>Команды № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="209" />
        <location filename="../../review/accounts/users.py" line="335" />
        <location filename="../../review/reporting/agreement.py" line="55" />
        <location filename="../../review/reporting/reports.py" line="151" />
        <source>Operator #{id} does not exist.</source>
        <translation>Оператора № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="211" />
        <source>An operator's account must be linked to the operator whose calls it may see.</source>
        <translation>Учётную запись оператора нужно связать с оператором, чьи звонки ей будут доступны.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="231" />
        <source>The user name {name} is taken.</source>
        <translation>Имя пользователя {name} уже занято.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="252" />
        <source>You cannot take away your own administrator role.</source>
        <translation>Нельзя снять роль администратора с самого себя.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="266" />
        <source>You cannot deactivate your own account.</source>
        <translation>Нельзя отключить собственную учётную запись.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="293" />
        <source>The current password is wrong.</source>
        <translation>Текущий пароль указан неверно.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="310" />
        <source>A team named {name} exists already.</source>
        <translation>Команда с названием {name} уже существует.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="113" />
        <source>An administrator already has a password: sign in instead.</source>
        <translation>У администратора уже есть пароль: просто войдите в систему.</translation>
    </message>
    <message>
        <location filename="../../review/accounts/users.py" line="147" />
        <source>This account is deactivated. Ask an administrator to reactivate it.</source>
        <translation>Эта учётная запись отключена. Попросите администратора снова её включить.</translation>
    </message>
    <message>
        <location filename="../../review/analytics/stored.py" line="48" />
        <source>Every analytics threshold must be more than 0 seconds.</source>
        <translation>Каждый порог аналитики должен быть больше 0 секунд.</translation>
    </message>
    <message>
        <location filename="../../review/analytics/stored.py" line="50" />
        <source>A silence must be shorter than a hold, and a hold no longer than a long hold.</source>
        <translation>Тишина должна быть короче удержания, а удержание — не длиннее долгого удержания.</translation>
    </message>
    <message>
        <location filename="../../review/cli.py" line="233" />
        <source>A range is MEASURE=FROM..TO, for example silence_total_s=30.. ; not {text}.</source>
        <translation>Диапазон задаётся как ПОКАЗАТЕЛЬ=ОТ..ДО, например silence_total_s=30.. ; а не {text}.</translation>
    </message>
    <message>
        <location filename="../../review/cli.py" line="120" />
        <source>This database needs a sign-in: pass --user NAME (or set KALIBRA_USER).</source>
        <translation>Для этой базы данных нужно войти в систему: укажите --user ИМЯ (или задайте KALIBRA_USER).</translation>
    </message>
    <message>
        <location filename="../../review/cli.py" line="243" />
        <source>{value} in the range {text} is not a number.</source>
        <translation>{value} в диапазоне {text} — не число.</translation>
    </message>
    <message>
        <location filename="../../review/library/call_edits.py" line="35" />
        <source>{field} '{value}' is not one of: {allowed}.</source>
        <translation>{field}: значение '{value}' недопустимо; возможные значения: {allowed}.</translation>
    </message>
    <message>
        <location filename="../../review/library/call_edits.py" line="55" />
        <location filename="../../review/transcripts/hearing.py" line="89" />
        <source>These call fields cannot be edited: {fields}.</source>
        <translation>Эти поля звонка нельзя изменить: {fields}.</translation>
    </message>
    <message>
        <location filename="../../review/library/call_edits.py" line="57" />
        <source>Someone else changed this call's details meanwhile; reopen the call to see them.</source>
        <translation>Тем временем кто-то другой изменил данные этого звонка; откройте звонок заново, чтобы увидеть изменения.</translation>
    </message>
    <message>
        <location filename="../../review/library/call_edits.py" line="64" />
        <source>The call's date must be a date and time, not {value}.</source>
        <translation>Дата звонка должна быть датой и временем, а не {value}.</translation>
    </message>
    <message>
        <location filename="../../review/library/call_edits.py" line="78" />
        <source>Tags must be a list of words.</source>
        <translation>Теги должны быть списком слов.</translation>
    </message>
    <message>
        <location filename="../../review/library/calls.py" line="187" />
        <source>Call #{id} is not in the library.</source>
        <translation>Звонка № {id} нет в библиотеке.</translation>
    </message>
    <message>
        <location filename="../../review/library/calls.py" line="38" />
        <source>There is no call measure {name}; the measures are: {names}.</source>
        <translation>Показателя звонка {name} нет; есть такие: {names}.</translation>
    </message>
    <message>
        <location filename="../../review/library/calls.py" line="41" />
        <source>The range of {name} ends below its start.</source>
        <translation>Диапазон {name} заканчивается ниже, чем начинается.</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="420" />
        <source>already in the library as call #{call} ({file}, same content)</source>
        <translation>уже в библиотеке как звонок № {call} ({file}, то же содержимое)</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="419" />
        <source>already in the library as call #{call}</source>
        <translation>уже в библиотеке как звонок № {call}</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="138" />
        <source>folder cannot be read: {detail}</source>
        <translation>папку нельзя прочитать: {detail}</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="428" />
        <source>very short ({seconds} s)</source>
        <translation>очень короткая запись ({seconds} с)</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="430" />
        <source>{channels} channels: only two speakers are told apart</source>
        <translation>каналов: {channels}; различаются только два собеседника</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="433" />
        <source>{count} invalid samples (NaN or infinite), treated as silence</source>
        <translation>недопустимых отсчётов (NaN или бесконечность): {count}; они считаются тишиной</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="436" />
        <source>silent: no sound in the recording</source>
        <translation>тишина: в записи нет звука</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="161" />
        <source>not a regular file</source>
        <translation>не обычный файл</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="407" />
        <source>already in the library as interaction {numbers}</source>
        <translation>уже в библиотеке: переписка {numbers}</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="410" />
        <source>new messages added to interaction {numbers}</source>
        <translation>новые сообщения добавлены в переписку {numbers}</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="413" />
        <source>threads left out: {count} (no known operator wrote in them or was written to)</source>
        <translation>пропущено переписок: {count} (в них не писал ни один известный оператор и никто не писал оператору)</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="146" />
        <source>hidden file</source>
        <translation>скрытый файл</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="152" />
        <source>not a supported audio format ({suffix})</source>
        <translation>неподдерживаемый формат звука ({suffix})</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="153" />
        <source>not a supported audio format (no extension)</source>
        <translation>неподдерживаемый формат звука (нет расширения)</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="74" />
        <source>cannot be read: {detail}</source>
        <translation>не читается: {detail}</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="225" />
        <source>column {column}, value {value}: {reason}; {recording} keeps the row's other fields</source>
        <translation>столбец {column}, значение {value}: {reason}; остальные поля строки записаны для {recording}</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="325" />
        <source>file name: {reason}; imported without it</source>
        <translation>имя файла: {reason}; импортировано без этих данных</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="384" />
        <source>already in the library (imported from another desktop just now)</source>
        <translation>уже в библиотеке (только что импортирован с другого компьютера)</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="115" />
        <source>no such file or folder</source>
        <translation>нет такого файла или папки</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="125" />
        <source>hidden folder</source>
        <translation>скрытая папка</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="196" />
        <source>cannot be read as CSV ({detail})</source>
        <translation>не читается как CSV ({detail})</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="240" />
        <source>rows that match no recording: {count} (the first on line {line})</source>
        <translation>строк без подходящей записи: {count} (первая — строка {line})</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="311" />
        <source>cannot be imported ({detail})</source>
        <translation>не удалось импортировать ({detail})</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="127" />
        <source>a folder, not a recording</source>
        <translation>папка, а не запись</translation>
    </message>
    <message>
        <location filename="../../review/library/importing.py" line="210" />
        <source>metadata file not used; choose it as the metadata file to read it</source>
        <translation>файл с данными о звонках не использован; чтобы прочитать его, выберите его как файл с данными</translation>
    </message>
    <message>
        <location filename="../../review/library/mapping_cli.py" line="30" />
        <source>There is no preset or saved mapping {name}; the presets are: {presets}.</source>
        <translation>Нет ни шаблона, ни сохранённого сопоставления {name}; шаблоны: {presets}.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="94" />
        <source>date/time {value} is not understood (use 2026-10-28 14:05 or 28.10.2026 14:05)</source>
        <translation>дата и время {value} не распознаны (пишите 2026-10-28 14:05 или 28.10.2026 14:05)</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="104" />
        <source>time {value} is not understood</source>
        <translation>время {value} не распознано</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="52" />
        <source>direction {value} is not one of in/out</source>
        <translation>направление {value} — не in/out (вх/исх)</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="59" />
        <source>{what} {value} is not one of {allowed}</source>
        <translation>{what} {value} — не одно из: {allowed}</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="109" />
        <source>{what} {value} has no letters or digits</source>
        <translation>{what} {value}: нет ни букв, ни цифр</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="161" />
        <source>language {value} is not a language code such as ru or en</source>
        <translation>язык {value} — не код языка вроде ru или en</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata.py" line="229" />
        <source>file name template {template} is not valid: {reason}</source>
        <translation>шаблон имени файла {template} неверен: {reason}</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_mapping.py" line="108" />
        <source>There is no column {column}; the columns are: {columns}.</source>
        <translation>Нет столбца {column}; столбцы: {columns}.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_mapping.py" line="96" />
        <source>{field} is not a call field; the fields are: {fields}.</source>
        <translation>{field} — не поле звонка; поля: {fields}.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_mapping.py" line="125" />
        <source>--map takes FIELD=COLUMN (e.g. started_at=calldate), not {item}.</source>
        <translation>--map принимает ПОЛЕ=СТОЛБЕЦ (например, started_at=calldate), а не {item}.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_sidecar.py" line="101" />
        <source>{name} has no 'file' column naming the recording (nor a call id); its columns: {columns}. Map one with --map file=COLUMN.</source>
        <translation>В {name} нет столбца 'file' с именем записи (и нет идентификатора звонка); столбцы: {columns}. Укажите его: --map file=СТОЛБЕЦ.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_sidecar.py" line="108" />
        <source>no recording named in this row (file name or call id)</source>
        <translation>в строке не указана запись (имя файла или номер звонка)</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_table.py" line="84" />
        <source>{name} is not a text file (it holds binary data): save the metadata as CSV or XLSX.</source>
        <translation>{name} — не текстовый файл (в нём двоичные данные): сохраните данные о звонках как CSV или XLSX.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_table.py" line="98" />
        <location filename="../../review/library/metadata_table.py" line="133" />
        <source>{name} is empty.</source>
        <translation>{name} пуст.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_table.py" line="148" />
        <location filename="../../review/library/metadata_table.py" line="123" />
        <source>{name} is not a readable Excel workbook ({reason}).</source>
        <translation>{name} не читается как книга Excel ({reason}).</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_table.py" line="151" />
        <source>{name} is an old Excel .xls file; save it as XLSX or CSV.</source>
        <translation>{name} — старый файл Excel .xls; сохраните его как XLSX или CSV.</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_table.py" line="95" />
        <source>{name}, line {line}: the CSV cannot be read ({reason}).</source>
        <translation>{name}, строка {line}: CSV не читается ({reason}).</translation>
    </message>
    <message>
        <location filename="../../review/library/metadata_table.py" line="144" />
        <source>{name} cannot be read: {reason}.</source>
        <translation>{name} не читается: {reason}.</translation>
    </message>
    <message>
        <location filename="../../review/library/retention.py" line="63" />
        <source>The retention period must be a whole number of days from {low} to {high}.</source>
        <translation>Срок хранения — целое число дней от {low} до {high}.</translation>
    </message>
    <message>
        <location filename="../../review/library/retention.py" line="90" />
        <source>No retention period is set, so nothing is old enough to purge.</source>
        <translation>Срок хранения не задан, поэтому удалять нечего.</translation>
    </message>
    <message>
        <location filename="../../review/library/telephony_presets.py" line="57" />
        <source>There is no preset {name}; the presets are: {presets}.</source>
        <translation>Нет шаблона {name}; шаблоны: {presets}.</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="148" />
        <source>There is no list {name}; the lists are: {names}.</source>
        <translation>Нет списка {name}; списки: {names}.</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="156" />
        <source>{code} is not in the workspace's list.</source>
        <translation>{code} нет в списке рабочего пространства.</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="170" />
        <source>{code} needs a Russian and an English label.</source>
        <translation>Для {code} нужны название на русском и на английском.</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="172" />
        <source>Only a call kind can be an outbound callback.</source>
        <translation>Исходящим обзвоном может быть только вид звонка.</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="174" />
        <source>An outbound callback is one of: {kinds}.</source>
        <translation>Исходящий обзвон — одно из: {kinds}.</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="186" />
        <source>The code {code} must be latin letters, digits and '_' (at most 40).</source>
        <translation>Код {code} должен состоять из латинских букв, цифр и '_' (не длиннее 40).</translation>
    </message>
    <message>
        <location filename="../../review/library/vocabularies.py" line="189" />
        <source>{code} is already in the list.</source>
        <translation>{code} уже есть в списке.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/agreement.py" line="58" />
        <location filename="../../review/reporting/reports.py" line="154" />
        <source>{name} (supervisor) sees reports for their own team only.</source>
        <translation>{name} (супервайзер) видит отчёты только по своей команде.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/audit_log.py" line="91" />
        <location filename="../../review/scoring/evaluations.py" line="68" />
        <source>Evaluation #{id} does not exist.</source>
        <translation>Оценки № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/conversion.py" line="111" />
        <source>The conversion target is a share between 1 % and 100 %.</source>
        <translation>Цель конверсии — доля от 1 % до 100 %.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/exports.py" line="145" />
        <source>There is no report called {report}; choose one of: {reports}.</source>
        <translation>Отчёта {report} нет; выберите один из: {reports}.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/exports.py" line="191" />
        <source>Cannot export {file}: the format {format} is not one of CSV, XLSX, PDF.</source>
        <translation>Не удаётся экспортировать {file}: формат {format} не поддерживается (доступны CSV, XLSX, PDF).</translation>
    </message>
    <message>
        <location filename="../../review/reporting/exports.py" line="179" />
        <location filename="../../review/reporting/exports.py" line="203" />
        <source>Could not write the report to {path}: {reason}.</source>
        <translation>Не удалось записать отчёт в {path}: {reason}.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/pdf_report.py" line="61" />
        <source>No font with Cyrillic letters was found for the PDF. Install DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core), put DejaVuSans.ttf into {folder}, or set KALIBRA_PDF_FONT to a .ttf file with Cyrillic letters.</source>
        <translation>Для PDF не найден шрифт с кириллицей. Установите DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core), положите DejaVuSans.ttf в {folder} или укажите в KALIBRA_PDF_FONT файл .ttf с кириллицей.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/pdf_report.py" line="55" />
        <source>KALIBRA_PDF_FONT is {path}, which is not a TrueType font with Cyrillic letters.</source>
        <translation>KALIBRA_PDF_FONT указывает на {path}, но это не шрифт TrueType с кириллицей.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/report_data.py" line="52" />
        <source>The report period ends ({end}) before it starts ({start}); choose the dates again.</source>
        <translation>Период отчёта заканчивается ({end}) раньше, чем начинается ({start}); выберите даты заново.</translation>
    </message>
    <message>
        <location filename="../../review/reporting/reports.py" line="286" />
        <source>A trend is grouped by operator or by team, not {by}.</source>
        <translation>Динамику можно группировать по операторам или по командам, но не {by}.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="39" />
        <source>The dispute window is between 1 and 365 days.</source>
        <translation>Срок для оспаривания — от 1 до 365 дней.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="57" />
        <source>Only the operator whose call was scored can dispute its answers.</source>
        <translation>Оспорить ответы может только оператор, чей звонок оценивали.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="59" />
        <source>Only a submitted supervisor evaluation can be disputed.</source>
        <translation>Оспорить можно только отправленную оценку супервайзера.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="62" />
        <source>The {days}-day window to dispute this evaluation has passed.</source>
        <translation>Срок для оспаривания этой оценки ({days} дн.) истёк.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="68" />
        <source>Explain why the answer is wrong.</source>
        <translation>Объясните, почему ответ неверен.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="71" />
        <source>This answer is already disputed; wait for the supervisor's decision.</source>
        <translation>Этот ответ уже оспорен; дождитесь решения супервайзера.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="85" />
        <source>Dispute #{id} does not exist.</source>
        <translation>Спора № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="89" />
        <source>This dispute was already declined.</source>
        <translation>Этот спор уже отклонён.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="116" />
        <source>Only {name}, who scored this call, can change the answer.</source>
        <translation>Изменить ответ может только {name} — тот, кто оценивал этот звонок.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="118" />
        <source>Say why the answer changes.</source>
        <translation>Укажите, почему ответ меняется.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="130" />
        <source>Say why the answer stays as it is.</source>
        <translation>Укажите, почему ответ остаётся прежним.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="66" />
        <source>The evaluation's rubric has no question '{question}'.</source>
        <translation>В анкете этой оценки нет вопроса '{question}'.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/disputes.py" line="88" />
        <source>This dispute was already accepted.</source>
        <translation>Этот спор уже принят.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="72" />
        <source>This evaluation is not visible to you yet.</source>
        <translation>Эта оценка вам пока недоступна.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="200" />
        <source>Only the reviewer who made an evaluation can change its answers.</source>
        <translation>Менять ответы может только проверяющий, который составил оценку.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="202" />
        <source>This evaluation is submitted; reopen it (with a reason) to change answers.</source>
        <translation>Эта оценка уже отправлена; чтобы изменить ответы, верните её в работу (с указанием причины).</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="253" />
        <source>Answer the question before commenting on the answer.</source>
        <translation>Сначала ответьте на вопрос, затем комментируйте ответ.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="267" />
        <source>Questions that still need an answer: {count}.</source>
        <translation>Вопросов без ответа: {count}.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="269" />
        <source>Answers that still need a comment: {count}.</source>
        <translation>Ответов без обязательного комментария: {count}.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="280" />
        <source>Only the reviewer or a supervisor can reopen an evaluation.</source>
        <translation>Вернуть оценку в работу может только проверяющий или супервайзер.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="282" />
        <source>Only a submitted evaluation can be reopened.</source>
        <translation>Вернуть в работу можно только отправленную оценку.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="284" />
        <source>Say why the evaluation is reopened.</source>
        <translation>Укажите, почему оценка возвращается в работу.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="298" />
        <source>Only reviewers comment on calls.</source>
        <translation>Комментировать звонки могут только проверяющие.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="301" />
        <source>A comment needs text.</source>
        <translation>Комментарий не может быть пустым.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="303" />
        <source>The comment's time is outside the call.</source>
        <translation>Время комментария выходит за пределы звонка.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="324" />
        <source>Comment #{id} does not exist.</source>
        <translation>Комментария № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="326" />
        <source>Only the author can delete a comment.</source>
        <translation>Удалить комментарий может только его автор.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="60" />
        <source>A self-review is only for the operator's own calls.</source>
        <translation>Самооценка возможна только для собственных звонков оператора.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="137" />
        <source>Rubric version #{id} is not published.</source>
        <translation>Версия анкеты № {id} не опубликована.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="217" />
        <source>The rubric has no question '{question}'.</source>
        <translation>В анкете нет вопроса '{question}'.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="307" />
        <source>The evaluation belongs to another call.</source>
        <translation>Эта оценка относится к другому звонку.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/evaluations.py" line="311" />
        <source>The message belongs to another conversation.</source>
        <translation>Сообщение относится к другой переписке.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_editing.py" line="90" />
        <source>A rubric with the id '{rubric}' already exists; choose another id on the Rubric tab.</source>
        <translation>Анкета с кодом «{rubric}» уже есть; выберите другой код на вкладке «Анкета».</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_editing.py" line="126" />
        <source>Cannot write {path}: {reason}.</source>
        <translation>Не удалось записать {path}: {reason}.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_store.py" line="75" />
        <source>Rubric '{rubric}' is not in this workspace.</source>
        <translation>Анкеты '{rubric}' нет в этой базе.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_store.py" line="107" />
        <source>Rubric '{rubric}' has no published version yet.</source>
        <translation>У анкеты '{rubric}' ещё нет опубликованной версии.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_store.py" line="144" />
        <source>Rubric '{rubric}' has no draft to publish.</source>
        <translation>У анкеты '{rubric}' нет черновика для публикации.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_store.py" line="146" />
        <source>Describe what changed in this version.</source>
        <translation>Опишите, что изменилось в этой версии.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_store.py" line="181" />
        <source>No published rubric in this workspace.</source>
        <translation>В этой базе нет ни одной опубликованной анкеты.</translation>
    </message>
    <message>
        <location filename="../../review/scoring/rubric_store.py" line="211" />
        <source>Rubric version {id} is not in this workspace.</source>
        <translation>Версии анкеты {id} нет в этой базе.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration.py" line="104" />
        <location filename="../../review/sessions/calibration_rounds.py" line="244" />
        <source>Submit your own calibration scores of these calls first, so you score blind.</source>
        <translation>Сначала отправьте свои калибровочные оценки этих звонков, чтобы оценивать независимо.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration.py" line="109" />
        <source>The reference reviewer has not submitted a calibration score of these calls.</source>
        <translation>Эталонный проверяющий ещё не отправил калибровочную оценку этих звонков.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="132" />
        <source>Choose at least one call to calibrate on.</source>
        <translation>Выберите хотя бы один звонок для калибровки.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="134" />
        <source>Choose at least two supervisors: calibration compares how they score.</source>
        <translation>Выберите хотя бы двух супервайзеров: калибровка сравнивает, как они оценивают.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="156" />
        <source>{name} already calibrates on call #{call}; choose other calls or supervisors.</source>
        <translation>{name} уже калибруется на звонке № {call}; выберите другие звонки или супервайзеров.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="175" />
        <source>Calibration #{id} does not exist.</source>
        <translation>Калибровки № {id} нет.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="253" />
        <source>Only the supervisor who started a calibration closes it.</source>
        <translation>Закрыть калибровку может только супервайзер, который её начал.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="140" />
        <source>User #{id} cannot score calls, so cannot take part in a calibration.</source>
        <translation>Пользователь № {id} не может оценивать звонки, поэтому не может участвовать в калибровке.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="178" />
        <source>Only the supervisors taking part see a calibration.</source>
        <translation>Калибровку видят только участвующие супервайзеры.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/calibration_rounds.py" line="144" />
        <source>{name} cannot see call #{call} (another team's), so cannot score it.</source>
        <translation>{name} не видит звонок № {call} (другой команды), поэтому не может его оценить.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/comparison.py" line="115" />
        <source>The side-by-side view opens when the supervisor and the operator have both scored every call of the session.</source>
        <translation>Сравнение открывается, когда и супервайзер, и оператор оценят все звонки сессии.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="59" />
        <source>Describe the goal (for example: pass rate on 'offers an alternative').</source>
        <translation>Опишите цель (например: доля выполнения по пункту «предлагает альтернативу»).</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="61" />
        <source>A goal's target is a percentage between 0 and 100.</source>
        <translation>Целевое значение — процент от 0 до 100.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="63" />
        <source>Tie a goal to a question or to a section, not both.</source>
        <translation>Привяжите цель либо к вопросу, либо к разделу, но не к обоим сразу.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="77" />
        <source>Rubric '{rubric}' has no section '{section}'.</source>
        <translation>В анкете '{rubric}' нет раздела '{section}'.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="94" />
        <source>Goal #{id} does not exist.</source>
        <translation>Цели № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="161" />
        <source>A goal is marked met, not met or extended, not {decision}.</source>
        <translation>Цель можно отметить как достигнутую, не достигнутую или продлённую, но не {decision}.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/goals.py" line="74" />
        <source>Rubric '{rubric}' has no question '{question}'.</source>
        <translation>В анкете '{rubric}' нет вопроса '{question}'.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="81" />
        <source>Review session #{id} does not exist.</source>
        <translation>Сессии разбора № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="130" />
        <source>This call is no longer part of the session.</source>
        <translation>Этот звонок больше не входит в сессию.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="133" />
        <source>The session is closed; its calls cannot change.</source>
        <translation>Сессия закрыта; её звонки менять нельзя.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="135" />
        <source>Say why the call cannot be used (for example: wrong number, 5 seconds long).</source>
        <translation>Укажите, почему звонок не подходит (например: ошиблись номером, длится 5 секунд).</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="140" />
        <source>No other call of this operator matches the session's sampling rule.</source>
        <translation>Других звонков этого оператора, подходящих под правило выборки сессии, нет.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="218" />
        <source>Call #{call_id} is not part of review session #{session_id}.</source>
        <translation>Звонок № {call_id} не входит в сессию разбора № {session_id}.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="221" />
        <source>The session is closed.</source>
        <translation>Сессия закрыта.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="249" />
        <location filename="../../review/sessions/review_sessions.py" line="279" />
        <source>A note is a strength or a growth area, not {kind}.</source>
        <translation>Заметка может быть сильной стороной или зоной роста, но не {kind}.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="251" />
        <location filename="../../review/sessions/review_sessions.py" line="281" />
        <source>Write what the strength or growth area is.</source>
        <translation>Опишите сильную сторону или зону роста.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="263" />
        <location filename="../../review/sessions/review_sessions.py" line="275" />
        <source>Note #{id} does not exist.</source>
        <translation>Заметки № {id} не существует.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="302" />
        <source>The meeting notes were changed by someone else since you opened them.</source>
        <translation>Пока вы работали, итоги встречи изменил кто-то другой.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="314" />
        <source>Only the operator the session is about can acknowledge it.</source>
        <translation>Подтвердить ознакомление может только оператор, которому посвящена сессия.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="317" />
        <source>The session can be acknowledged once both sides have scored every call.</source>
        <translation>Подтвердить ознакомление можно, когда обе стороны оценят все звонки.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/review_sessions.py" line="329" />
        <source>Close a session after both sides have scored every call and it was discussed.</source>
        <translation>Закрыть сессию можно, когда обе стороны оценят все звонки и результаты будут обсуждены.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="272" />
        <source>Operators not in this workspace or not in your team: {ids}.</source>
        <translation>Операторы не из этой базы или не из вашей команды: {ids}.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="56" />
        <source>Choose at least one operator to sample calls for.</source>
        <translation>Выберите хотя бы одного оператора для выборки звонков.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="58" />
        <source>The sampling period ends before it starts.</source>
        <translation>Период выборки заканчивается раньше, чем начинается.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="60" />
        <source>Give either a number of calls per operator or a percentage, not both.</source>
        <translation>Укажите либо число звонков на оператора, либо процент, но не то и другое сразу.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="62" />
        <source>Sample at least one call per operator.</source>
        <translation>Выберите хотя бы один звонок на оператора.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="64" />
        <source>The percentage of calls must be between 0 and 100.</source>
        <translation>Доля звонков должна быть от 0 до 100 %.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="66" />
        <source>The minimum number of calls cannot be negative.</source>
        <translation>Минимальное число звонков не может быть отрицательным.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="69" />
        <source>A sampling rule prefers one of {signals}, not {unknown}.</source>
        <translation>Правило выборки может предпочитать только {signals}, а не {unknown}.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="72" />
        <source>Spread picks by week or by day, not {stratify}.</source>
        <translation>Распределяйте выборку по неделям или по дням, но не {stratify}.</translation>
    </message>
    <message>
        <location filename="../../review/sessions/sampling.py" line="75" />
        <source>The longest call duration is shorter than the shortest.</source>
        <translation>Максимальная длительность звонка меньше минимальной.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="79" />
        <source>The database {url} was last used by a newer Kalibra (schema {revision}): install that version or newer to open it.</source>
        <translation>С базой данных {url} последней работала более новая версия Kalibra (схема {revision}): установите эту версию или новее, чтобы открыть её.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="52" />
        <source>The database file {path} is read-only: give your user write permission on the file and its folder (for example chmod u+w), or choose another database in Settings.</source>
        <translation>Файл базы данных {path} доступен только для чтения: дайте своему пользователю право записи в файл и его папку (например, chmod u+w) или выберите другую базу в настройках.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="56" />
        <source>The database file {path} is damaged and was left as it is: restore it from a backup, or recover what it holds with `sqlite3 {path} .recover` into a new file and point Kalibra at that.</source>
        <translation>Файл базы данных {path} повреждён и оставлен как есть: восстановите его из резервной копии или извлеките уцелевшие данные командой `sqlite3 {path} .recover` в новый файл и укажите Kalibra на него.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="60" />
        <source>The database {path} is locked by another program (another Kalibra, a backup or a sync tool): close it and try again.</source>
        <translation>База данных {path} заблокирована другой программой (другой Kalibra, резервным копированием или синхронизацией): закройте её и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="63" />
        <source>The database file {path} cannot be opened: check that its folder exists and that you may write there.</source>
        <translation>Файл базы данных {path} не открывается: проверьте, что его папка существует и у вас есть право записи в неё.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="67" />
        <source>Cannot open the database {url}: the server does not answer ({reason}); check that it is running and the address in Settings.</source>
        <translation>Не удаётся открыть базу данных {url}: сервер не отвечает ({reason}); проверьте, что он запущен, и адрес в настройках.</translation>
    </message>
    <message>
        <location filename="../../review/storage/database_errors.py" line="72" />
        <source>Cannot open the database {url}: {reason}</source>
        <translation>Не удаётся открыть базу данных {url}: {reason}</translation>
    </message>
    <message>
        <location filename="../../review/storage/db.py" line="58" />
        <location filename="../../review/storage/db.py" line="67" />
        <source>Database address is not valid: {url} ({reason})</source>
        <translation>Неверный адрес базы данных: {url} ({reason})</translation>
    </message>
    <message>
        <location filename="../../review/storage/db.py" line="70" />
        <source>Cannot create the database file {path}: {reason}</source>
        <translation>Не удаётся создать файл базы данных {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../../review/storage/db.py" line="114" />
        <source>Someone else changed this record since you opened it; reload it and try again.</source>
        <translation>Кто-то другой изменил эту запись после того, как вы её открыли; загрузите её заново и повторите попытку.</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/clinic_vocabulary.py" line="48" />
        <source>“{term}” is too long for one word of the clinic's vocabulary (at most {most} characters).</source>
        <translation>«{term}» — слишком длинно для одного слова словаря клиники (не больше {most} символов).</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/clinic_vocabulary.py" line="51" />
        <source>The clinic's vocabulary is too long: whisper reads at most about {most} characters of it. Keep the names it gets wrong.</source>
        <translation>Словарь клиники слишком длинный: whisper читает из него не больше примерно {most} символов. Оставьте названия, в которых расшифровка ошибается.</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/excerpts.py" line="75" />
        <source>Call #{call_id} has no transcript yet, so the personal data in it cannot be found and muted. Transcribe it first, or export without muting.</source>
        <translation>У звонка № {call_id} ещё нет расшифровки, поэтому персональные данные в нём нельзя найти и заглушить. Сначала расшифруйте звонок или экспортируйте без заглушения.</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/excerpts.py" line="82" />
        <source>The recording of call #{call_id} cannot be read: {reason}</source>
        <translation>Не удаётся прочитать запись звонка № {call_id}: {reason}</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/failure.py" line="28" />
        <source>the transcription stopped {attempts} times without finishing (the worker was closed or crashed); it is tried again only when asked: Transcribe again, or `kalibra transcribe` with the call's number</source>
        <translation>расшифровка прерывалась {attempts} раза, не дойдя до конца (обработчик закрыли или он аварийно завершился); снова её запустят только по просьбе: «Расшифровать заново» или `kalibra transcribe` с номером звонка</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/hearing.py" line="159" />
        <location filename="../../review/transcripts/hearing.py" line="95" />
        <source>Channel layout '{value}' is not one of: {allowed}.</source>
        <translation>Раскладка каналов «{value}» — не одна из: {allowed}.</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/hearing.py" line="164" />
        <source>No call in the library comes from {folder}, and there is no such folder.</source>
        <translation>В библиотеке нет звонков из {folder}, и такой папки нет.</translation>
    </message>
    <message>
        <location filename="../../review/transcripts/hearing.py" line="101" />
        <source>'{value}' is not a language code the speech model knows (e.g. ru, en).</source>
        <translation>«{value}» — не код языка, известный модели речи (например, ru, en).</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="98" />
        <source>Line {line}: no mail headers (From, Date…): this is not an e-mail.</source>
        <translation>Строка {line}: нет заголовков письма (From, Date…) — это не электронное письмо.</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="102" />
        <source>Line {line}: the mail has no sender (From).</source>
        <translation>Строка {line}: у письма нет отправителя (From).</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="108" />
        <source>Line {line}: the mail has no readable date (Date).</source>
        <translation>Строка {line}: у письма нет читаемой даты (Date).</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="133" />
        <source>Line {line} is not the "From " line an mbox mailbox starts with.</source>
        <translation>Строка {line} — не строка «From », с которой начинается почтовый ящик mbox.</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="161" />
        <source>The file is larger than Kalibra reads as mail ({size} MB).</source>
        <translation>Файл больше, чем Kalibra читает как почту ({size} МБ).</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="96" />
        <source>Line {line}: not an e-mail ({reason}).</source>
        <translation>Строка {line}: это не электронное письмо ({reason}).</translation>
    </message>
    <message>
        <location filename="../../review/written/email_import.py" line="113" />
        <source>Line {line}: the mail's body cannot be read ({reason}).</source>
        <translation>Строка {line}: текст письма не читается ({reason}).</translation>
    </message>
    <message>
        <location filename="../../review/written/storage.py" line="119" />
        <source>No participant is one of the clinic's operators ({people}): say which address or chat name is an operator's, and import again.</source>
        <translation>Среди участников нет операторов клиники ({people}): укажите, какой адрес или имя в чате принадлежит оператору, и импортируйте снова.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="166" />
        <source>No line starts with a date and time: this is not a WhatsApp chat export.</source>
        <translation>Ни одна строка не начинается с даты и времени — это не выгрузка чата WhatsApp.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="175" />
        <source>The chat has only system messages: nobody wrote anything.</source>
        <translation>В чате только служебные сообщения: никто ничего не написал.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="196" />
        <source>The file is larger than any chat export ({size} MB).</source>
        <translation>Файл больше любой выгрузки чата ({size} МБ).</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="107" />
        <source>Line {line}: {hour} is not an hour on a 12-hour clock.</source>
        <translation>Строка {line}: {hour} — не час в 12-часовом формате.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="113" />
        <source>Line {line}: the date or time is not a real one.</source>
        <translation>Строка {line}: такой даты или времени не бывает.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="189" />
        <source>Line {line} is not UTF-8 text: WhatsApp writes its exports in UTF-8.</source>
        <translation>Строка {line} — не текст в UTF-8, а WhatsApp выгружает чаты в UTF-8.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="218" />
        <source>The file is not a readable .zip archive ({reason}).</source>
        <translation>Файл — не читаемый архив .zip ({reason}).</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="208" />
        <source>The archive holds no chat text (.txt), so it is not a WhatsApp export.</source>
        <translation>В архиве нет текста чата (.txt), значит, это не выгрузка WhatsApp.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="210" />
        <source>The archive holds {count} text files; a WhatsApp export holds one chat.</source>
        <translation>В архиве {count} текстовых файлов, а выгрузка WhatsApp содержит один чат.</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="214" />
        <source>The chat in the archive is larger than any chat export ({size} MB).</source>
        <translation>Чат в архиве больше любой выгрузки чата ({size} МБ).</translation>
    </message>
    <message>
        <location filename="../../review/written/whatsapp.py" line="163" />
        <source>Line {line} does not start with a date and time: this is not a WhatsApp chat export.</source>
        <translation>Строка {line} не начинается с даты и времени — это не выгрузка чата WhatsApp.</translation>
    </message>
    <message>
        <location filename="../../review/written/working_hours.py" line="30" />
        <source>Working hours need one entry per weekday, Monday to Sunday.</source>
        <translation>Часы работы задаются для каждого дня недели, с понедельника по воскресенье.</translation>
    </message>
    <message>
        <location filename="../../review/written/working_hours.py" line="33" />
        <source>A working day must end after it starts ({start}–{end}).</source>
        <translation>Рабочий день должен заканчиваться позже, чем начинается ({start}–{end}).</translation>
    </message>
    <message>
        <location filename="../../review/written/written_import.py" line="72" />
        <source>Not a chat export or a mail file ({suffix}).</source>
        <translation>Это не выгрузка чата и не файл почты ({suffix}).</translation>
    </message>
    <message>
        <location filename="../../review/written/written_import.py" line="95" />
        <source>No thread of the mailbox has a known operator in it: say which address is an operator's, and import again.</source>
        <translation>Ни в одной переписке почтового ящика нет известного оператора: укажите, какой адрес принадлежит оператору, и импортируйте снова.</translation>
    </message>
    <message>
        <location filename="../../review/written/written_settings.py" line="34" />
        <source>An operator identity needs an e-mail address or a chat name.</source>
        <translation>Для оператора нужен адрес электронной почты или имя в чате.</translation>
    </message>
    <message>
        <location filename="../../review/written/written_settings.py" line="59" />
        <source>Unknown time zone: {zone}.</source>
        <translation>Неизвестный часовой пояс: {zone}.</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="76" />
        <source>not a file</source>
        <translation>не файл</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="78" />
        <source>empty file (0 bytes)</source>
        <translation>пустой файл (0 байт)</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="222" />
        <location filename="../../transcription/audio.py" line="282" />
        <location filename="../../transcription/audio.py" line="347" />
        <location filename="../../transcription/audio.py" line="428" />
        <source>zero duration: the recording holds no audio</source>
        <translation>нулевая длительность: в записи нет звука</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="72" />
        <source>file not found (moved or deleted?)</source>
        <translation>файл не найден (перемещён или удалён?)</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="90" />
        <source>unfinished WAV header with {bits}-bit samples</source>
        <translation>незаконченный заголовок WAV с {bits}-битными отсчётами</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="120" />
        <location filename="../../transcription/audio.py" line="291" />
        <location filename="../../transcription/audio.py" line="426" />
        <location filename="../../transcription/audio.py" line="179" />
        <location filename="../../transcription/audio.py" line="343" />
        <location filename="../../transcription/audio.py" line="259" />
        <location filename="../../transcription/excerpt.py" line="56" />
        <source>corrupt or truncated audio ({detail})</source>
        <translation>звук повреждён или обрезан ({detail})</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="200" />
        <source>the header claims more audio than the file can hold (damaged?)</source>
        <translation>заголовок обещает больше звука, чем вмещает файл (повреждён?)</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="202" />
        <source>damaged or not an audio file ({detail})</source>
        <translation>повреждён или не звуковой файл ({detail})</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="118" />
        <source>truncated: the end of the audio cannot be read</source>
        <translation>обрезан: конец записи не читается</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="139" />
        <source>not an audio file, or damaged ({detail})</source>
        <translation>не звуковой файл или повреждён ({detail})</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="144" />
        <source>not an audio file (no audio stream)</source>
        <translation>не звуковой файл (нет звуковой дорожки)</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="184" />
        <source>truncated: header says {declared} s, audio ends at {end} s</source>
        <translation>обрезан: по заголовку {declared} с, звук кончается на {end} с</translation>
    </message>
    <message>
        <location filename="../../transcription/audio.py" line="331" />
        <source>the channel count or sample rate changes inside the file</source>
        <translation>число каналов или частота меняются внутри файла</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="114" />
        <source>damaged WAV header ({bits}-bit {codec} samples)</source>
        <translation>повреждён заголовок WAV ({bits}-битные отсчёты {codec})</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="116" />
        <source>damaged WAV header ({channels} channels of {bits} bits in blocks of {align} bytes)</source>
        <translation>повреждён заголовок WAV (каналов: {channels}, по {bits} бит в блоках по {align} байт)</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="122" />
        <source>truncated: header says {declared} bytes of audio, file holds {available}</source>
        <translation>обрезан: по заголовку {declared} байт звука, в файле {available}</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="131" />
        <source>sample rate {rate} Hz is outside 1–192 kHz (damaged header?)</source>
        <translation>частота {rate} Гц вне 1–192 кГц (повреждён заголовок?)</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="133" />
        <source>{channels} channels is outside 1–{most} (damaged header?)</source>
        <translation>каналов: {channels} — вне 1–{most} (повреждён заголовок?)</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="140" />
        <source>header says {hours} hours of audio (more than a day)</source>
        <translation>по заголовку {hours} ч звука (больше суток)</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="143" />
        <source>header says {seconds} s of audio, more than {size} bytes can hold</source>
        <translation>по заголовку {seconds} с звука — больше, чем вмещают {size} байт</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="92" />
        <source>damaged WAV header (format chunk too short)</source>
        <translation>повреждён заголовок WAV (блок формата слишком короткий)</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="95" />
        <source>truncated: the WAV header is incomplete</source>
        <translation>обрезан: заголовок WAV неполный</translation>
    </message>
    <message>
        <location filename="../../transcription/probe.py" line="102" />
        <source>damaged WAV header (audio before its format)</source>
        <translation>повреждён заголовок WAV (звук раньше описания формата)</translation>
    </message>
    <message>
        <location filename="../../transcription/errors.py" line="0" />
        <source>codec not supported: {codec}</source>
        <translation>кодек не поддерживается: {codec}</translation>
    </message>
</context>
<context>
    <name>RubricErrors</name>
    <message>
        <location filename="../../rubrics/check_matching.py" line="167" />
        <source>the call's measure {measure}</source>
        <translation>показатель звонка {measure}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="202" />
        <source>{phrases} in the operator's words, the whole call</source>
        <translation>{phrases} в словах оператора, весь звонок</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="203" />
        <source>{phrases} in the customer's words, the whole call</source>
        <translation>{phrases} в словах клиента, весь звонок</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="204" />
        <source>{phrases} in both parties' words, the whole call</source>
        <translation>{phrases} в словах обеих сторон, весь звонок</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="205" />
        <source>{phrases} in the operator's words in the first {seconds} s</source>
        <translation>{phrases} в словах оператора в первые {seconds} с</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="206" />
        <source>{phrases} in the customer's words in the first {seconds} s</source>
        <translation>{phrases} в словах клиента в первые {seconds} с</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="207" />
        <source>{phrases} in both parties' words in the first {seconds} s</source>
        <translation>{phrases} в словах обеих сторон в первые {seconds} с</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="208" />
        <source>{phrases} in the operator's words after {anchor}</source>
        <translation>{phrases} в словах оператора после {anchor}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="209" />
        <source>{phrases} in the customer's words after {anchor}</source>
        <translation>{phrases} в словах клиента после {anchor}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="210" />
        <source>{phrases} in both parties' words after {anchor}</source>
        <translation>{phrases} в словах обеих сторон после {anchor}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="211" />
        <source>{phrases} in the operator's words within {seconds} s after {anchor}</source>
        <translation>{phrases} в словах оператора в течение {seconds} с после {anchor}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="212" />
        <source>{phrases} in the customer's words within {seconds} s after {anchor}</source>
        <translation>{phrases} в словах клиента в течение {seconds} с после {anchor}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="213" />
        <source>{phrases} in both parties' words within {seconds} s after {anchor}</source>
        <translation>{phrases} в словах обеих сторон в течение {seconds} с после {anchor}</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="214" />
        <source>does not apply: {phrases} not found in the operator's words</source>
        <translation>не применяется: {phrases} нет в словах оператора</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="215" />
        <source>does not apply: {phrases} not found in the customer's words</source>
        <translation>не применяется: {phrases} нет в словах клиента</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="216" />
        <source>does not apply: {phrases} not found in either party's words</source>
        <translation>не применяется: {phrases} нет в словах ни одной из сторон</translation>
    </message>
    <message>
        <location filename="../../rubrics/check_matching.py" line="169" />
        <source>does not apply: the call's {measure} is not measured yet</source>
        <translation>не применяется: показатель звонка {measure} ещё не измерен</translation>
    </message>
    <message>
        <location filename="../../rubrics/checks.py" line="70" />
        <source>unknown measure '{measure}'; use one of {known}</source>
        <translation>неизвестный показатель «{measure}»; допустимы: {known}</translation>
    </message>
    <message>
        <location filename="../../rubrics/checks.py" line="73" />
        <source>an analytics check needs a limit: max or min</source>
        <translation>проверке по показателю нужен предел: max или min</translation>
    </message>
    <message>
        <location filename="../../rubrics/checks.py" line="103" />
        <source>check id '{id}' is used twice in this question</source>
        <translation>идентификатор проверки «{id}» повторяется в этом вопросе</translation>
    </message>
    <message>
        <location filename="../../rubrics/checks.py" line="107" />
        <source>a note question has no answers to suggest, so it cannot have checks</source>
        <translation>у вопроса-заметки нет ответов для подсказки, поэтому проверок у него быть не может</translation>
    </message>
    <message>
        <location filename="../../rubrics/checks.py" line="113" />
        <source>check '{id}' suggests '{answer}', which this question does not offer</source>
        <translation>проверка «{id}» подсказывает «{answer}», но такого ответа у вопроса нет</translation>
    </message>
    <message>
        <location filename="../../rubrics/errors.py" line="71" />
        <source>{source}, line {line}: {problem}</source>
        <translation>{source}, строка {line}: {problem}</translation>
    </message>
    <message>
        <location filename="../../rubrics/library.py" line="24" />
        <source>no built-in rubric '{id}'; there are {known}</source>
        <translation>встроенной анкеты «{id}» нет; есть только: {known}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="31" />
        <source>item '{name}'</source>
        <translation>элемент «{name}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="31" />
        <source>item #{number}</source>
        <translation>элемент № {number}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="37" />
        <source>{field}: Input should be greater than {gt}</source>
        <translation>{field}: значение должно быть больше {gt}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="38" />
        <source>{field}: Input should be greater than or equal to {ge}</source>
        <translation>{field}: значение должно быть не меньше {ge}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="39" />
        <source>{field}: Input should be less than {lt}</source>
        <translation>{field}: значение должно быть меньше {lt}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="40" />
        <source>{field}: Input should be less than or equal to {le}</source>
        <translation>{field}: значение должно быть не больше {le}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="41" />
        <source>{field}: String should have at least {min_length} character</source>
        <translation>{field}: текст не может быть пустым (нужно хотя бы {min_length} символ)</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="42" />
        <source>{field}: String should have at most {max_length} characters</source>
        <translation>{field}: текст слишком длинный (не больше {max_length} символов)</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="43" />
        <source>{field}: List should have at least {min_length} item after validation, not {actual_length}</source>
        <translation>{field}: список должен содержать хотя бы {min_length} элемент, а в нём {actual_length}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="45" />
        <source>{field}: Input should be a valid integer, unable to parse string as an integer</source>
        <translation>{field}: нужно целое число, а указан текст</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="46" />
        <source>{field}: Input should be a valid integer</source>
        <translation>{field}: нужно целое число</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="47" />
        <source>{field}: Input should be a valid integer, got a number with a fractional part</source>
        <translation>{field}: нужно целое число, а указано дробное</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="48" />
        <source>{field}: Input should be a valid number, unable to parse string as a number</source>
        <translation>{field}: нужно число, а указан текст</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="49" />
        <source>{field}: Input should be a valid number</source>
        <translation>{field}: нужно число</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="50" />
        <source>{field}: Input should be a valid boolean, unable to interpret input</source>
        <translation>{field}: нужно «да» или «нет» (true/false), это значение не распознано</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="51" />
        <source>{field}: Input should be a valid boolean</source>
        <translation>{field}: нужно «да» или «нет» (true/false)</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="52" />
        <source>{field}: Input should be a valid string</source>
        <translation>{field}: нужен текст</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="53" />
        <source>{field}: Input should be a valid list</source>
        <translation>{field}: нужен список</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="54" />
        <source>{field}: Input should be a valid dictionary</source>
        <translation>{field}: нужен набор полей (ключ: значение)</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="55" />
        <source>{field}: Input should be a valid dictionary or instance of {class_name}</source>
        <translation>{field}: нужен набор полей «ключ: значение» ({class_name})</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="26" />
        <source>section '{name}'</source>
        <translation>раздел «{name}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="26" />
        <source>section #{number}</source>
        <translation>раздел № {number}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="27" />
        <source>question '{name}'</source>
        <translation>вопрос «{name}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="27" />
        <source>question #{number}</source>
        <translation>вопрос № {number}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="28" />
        <source>level '{name}'</source>
        <translation>уровень «{name}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="28" />
        <source>level #{number}</source>
        <translation>уровень № {number}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="29" />
        <source>option '{name}'</source>
        <translation>вариант «{name}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="29" />
        <source>option #{number}</source>
        <translation>вариант № {number}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="166" />
        <source>required field '{field}' is missing</source>
        <translation>не заполнено обязательное поле «{field}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="168" />
        <source>unknown field '{field}'</source>
        <translation>неизвестное поле «{field}»</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="171" />
        <source>'{input}' is not a valid {field}; expected {expected}</source>
        <translation>«{input}» не подходит для поля {field}; допустимые значения: {expected}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="174" />
        <source>'{input}' is not a valid {field}: use lower-case latin letters, digits, '_' and '-', starting with a letter or digit</source>
        <translation>«{input}» не подходит для поля {field}: используйте строчные латинские буквы, цифры, «_» и «-»; первый символ — буква или цифра</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="77" />
        <source>a rubric file must be a mapping with id, title and sections</source>
        <translation>файл анкеты должен содержать поля id, title и sections</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="88" />
        <source>a rubric must be a mapping with id, title and sections</source>
        <translation>анкета должна содержать поля id, title и sections</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="65" />
        <source>the file is not UTF-8 text ({reason})</source>
        <translation>файл не является текстом в кодировке UTF-8 ({reason})</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="67" />
        <source>cannot read the file: {reason}</source>
        <translation>не удаётся прочитать файл: {reason}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="112" />
        <source>the file is empty</source>
        <translation>файл пуст</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="123" />
        <source>YAML syntax error: {problem}</source>
        <translation>ошибка синтаксиса YAML: {problem}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="125" />
        <source>YAML error: {problem}</source>
        <translation>ошибка YAML: {problem}</translation>
    </message>
    <message>
        <location filename="../../rubrics/loading.py" line="140" />
        <source>key '{key}' appears twice in the same mapping</source>
        <translation>ключ «{key}» указан дважды в одном блоке</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="96" />
        <source>only scale questions have levels, this one is {kind}</source>
        <translation>уровни бывают только у вопросов со шкалой (scale), а у этого вопроса тип {kind}</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="98" />
        <source>only choice questions have options, this one is {kind}</source>
        <translation>варианты ответа бывают только у вопросов с выбором (choice), а у этого вопроса тип {kind}</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="101" />
        <source>only yes/no questions can be fatal (the answer 'no' is fatal), this one is {kind}</source>
        <translation>критическим (fatal) может быть только вопрос «да/нет» (ответ «нет» обнуляет оценку), а у этого вопроса тип {kind}</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="117" />
        <source>a scoring question must be able to earn more than 0 points</source>
        <translation>за оцениваемый вопрос должно быть можно получить больше 0 баллов</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="124" />
        <source>a scale question needs at least 2 levels</source>
        <translation>у вопроса со шкалой должно быть хотя бы 2 уровня</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="134" />
        <source>give points either for every scale level or for none</source>
        <translation>баллы укажите либо для каждого уровня шкалы, либо ни для одного</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="139" />
        <source>points is {points} but the best level earns {best}; they must agree</source>
        <translation>у вопроса указано баллов: {points}, а лучший уровень даёт {best}; значения должны совпадать</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="146" />
        <source>a choice question needs at least 2 options</source>
        <translation>у вопроса с выбором должно быть хотя бы 2 варианта ответа</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="154" />
        <source>points is {points} but the best option earns {best}; they must agree</source>
        <translation>у вопроса указано баллов: {points}, а лучший вариант даёт {best}; значения должны совпадать</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="128" />
        <source>scale level value {value} is repeated</source>
        <translation>значение уровня шкалы {value} повторяется</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="150" />
        <source>option key '{key}' is repeated</source>
        <translation>ключ варианта «{key}» повторяется</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="227" />
        <source>section id '{id}' is used twice</source>
        <translation>идентификатор раздела «{id}» использован дважды</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="268" />
        <source>section weights add up to {total} ({listing}), but require_weights_sum is {required}</source>
        <translation>сумма весов разделов — {total} ({listing}), а require_weights_sum требует {required}</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="232" />
        <source>question id '{id}' is used twice (first in section '{section}')</source>
        <translation>идентификатор вопроса «{id}» использован дважды (впервые — в разделе «{section}»)</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="265" />
        <source>section weights for call kind '{kind}' add up to {total} ({listing}), but require_weights_sum is {required}</source>
        <translation>сумма весов разделов для вида звонка «{kind}» — {total} ({listing}), а require_weights_sum требует {required}</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="115" />
        <source>a note question does not score, so it cannot have points</source>
        <translation>вопрос-заметка не оценивается, поэтому баллов у него быть не может</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="241" />
        <source>section '{section}' is conditional on call kind '{kind}', which is not in applies_to ({applies_to})</source>
        <translation>раздел «{section}» относится к виду звонка «{kind}», которого нет в applies_to ({applies_to})</translation>
    </message>
    <message>
        <location filename="../../rubrics/schema.py" line="112" />
        <source>a note question does not score, so it cannot set {flag}</source>
        <translation>вопрос-заметка не оценивается, поэтому у него не может быть {flag}</translation>
    </message>
</context>
</TS>